// Loads the vendored Chart.js (vendor/chart.js/chart.umd.js, version pinned in its first line) once,
// on the first page that draws a chart, so the other pages never fetch it.

let loaded = null;

/** Resolves to the Chart constructor. */
export function loadChartJs() {
  if (!loaded) {
    loaded = new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = 'vendor/chart.js/chart.umd.js';
      script.addEventListener('load', () => resolve(window.Chart));
      script.addEventListener('error', () => {
        loaded = null;
        reject(new Error('The chart library could not be loaded.'));
      });
      document.head.append(script);
    });
  }
  return loaded;
}
