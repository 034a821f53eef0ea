package zoneplane.system.contract;

import java.nio.file.Files;
import java.nio.file.Path;
import zoneplane.dataplane.subscriber.ViewCache;
import zoneplane.dataplane.view.ZoneView;

/**
 * The contract for a node whose newest cache file is gone (a crash between the two renames of a
 * save) and which starts from the previous generation ({@value ViewCache#PREVIOUS_FILE_NAME}).
 */
class PreviousGenerationDiskCacheViewSourceTest extends DiskCacheViewSourceContract {

    @Override
    protected void writeCache(Path cacheDir, ZoneView view) throws Exception {
        ViewCache cache = new ViewCache(cacheDir);
        cache.save(view);
        Files.move(cache.file(), cacheDir.resolve(ViewCache.PREVIOUS_FILE_NAME));
    }
}
