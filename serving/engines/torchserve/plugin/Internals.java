package serving.plugin;

import java.lang.reflect.Field;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** What the plugin's classes share: TorchServe's private fields, and daemon timers. */
final class Internals {

    private Internals() {}

    /**
     * A private field of TorchServe's, readable; null when it is not there (another
     * TorchServe than 0.12.0, which the callers then do without).
     */
    static Field field(Class<?> owner, String name) {
        try {
            Field found = owner.getDeclaredField(name);
            found.setAccessible(true);
            return found;
        } catch (NoSuchFieldException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Run {@code task} every {@code periodMs} on a daemon thread of that name. A run that
     * throws is only skipped: an exception escaping a scheduled task would cancel every
     * later run, silently (TorchServe's ModelManager is not there yet when the plugin
     * starts its timers).
     */
    static void every(String name, long periodMs, Runnable task) {
        ScheduledExecutorService timer =
                Executors.newSingleThreadScheduledExecutor(
                        runnable -> {
                            Thread thread = new Thread(runnable, name);
                            thread.setDaemon(true);
                            return thread;
                        });
        Runnable guarded =
                () -> {
                    try {
                        task.run();
                    } catch (RuntimeException e) {
                        // next time
                    }
                };
        timer.scheduleWithFixedDelay(guarded, 0, periodMs, TimeUnit.MILLISECONDS);
    }
}
