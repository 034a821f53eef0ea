package zoneplane.system.contract;

import java.nio.file.Path;
import zoneplane.dataplane.subscriber.ViewCache;
import zoneplane.dataplane.view.ZoneView;

/** The contract for a node starting from the binary disk cache ({@value ViewCache#FILE_NAME}) it writes. */
class BinaryDiskCacheViewSourceTest extends DiskCacheViewSourceContract {

    @Override
    protected void writeCache(Path cacheDir, ZoneView view) throws Exception {
        new ViewCache(cacheDir).save(view);
    }
}
