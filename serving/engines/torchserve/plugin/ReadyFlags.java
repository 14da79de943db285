package serving.plugin;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.pytorch.serve.servingsdk.Model;
import org.pytorch.serve.servingsdk.Worker;
import org.pytorch.serve.servingsdk.impl.ModelServerContext;
import org.pytorch.serve.util.ConfigManager;

/**
 * One empty file per model, in the directory that config.properties names as
 * serving_ready_dir, present while the model has a worker that can take a request. The
 * front checks it with a stat before each invocation and answers 503 at once when it is
 * missing (a model still loading, or every worker restarting), instead of letting the
 * request wait in TorchServe's queue; a stat costs the front far less than asking the
 * engine over HTTP per request.
 *
 * Kept current every 100 ms by a daemon thread, and by /ping before it answers, so that
 * /ping never says ready before the files do.
 */
final class ReadyFlags {

    static final String DIRECTORY_KEY = "serving_ready_dir";
    private static final long PERIOD_MS = 100;
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private ReadyFlags() {}

    /** Start the thread that keeps the files (once; nothing when no directory is set). */
    static void start() {
        if (directory() == null || !STARTED.compareAndSet(false, true)) {
            return;
        }
        Internals.every(
                "serving-ready-flags",
                PERIOD_MS,
                () -> {
                    try {
                        refresh(new ModelServerContext().getModels());
                    } catch (IOException | RuntimeException e) {
                        // Next time: a missing file only means 503s until then.
                    }
                });
    }

    /** Make the files say what ``models`` say now. */
    static synchronized void refresh(Map<String, Model> models) throws IOException {
        Path directory = directory();
        if (directory == null) {
            return;
        }
        NoWaitBatches.apply(); // before any model is flagged ready
        for (Map.Entry<String, Model> entry : models.entrySet()) {
            Path flag = directory.resolve(entry.getKey());
            if (serving(entry.getValue())) {
                try {
                    Files.createFile(flag);
                } catch (FileAlreadyExistsException e) {
                    // already there
                }
            } else {
                Files.deleteIfExists(flag);
            }
        }
        try (DirectoryStream<Path> flags = Files.newDirectoryStream(directory)) {
            for (Path flag : flags) {
                if (!models.containsKey(flag.getFileName().toString())) {
                    Files.deleteIfExists(flag); // a model no longer registered
                }
            }
        }
    }

    private static boolean serving(Model model) {
        for (Worker worker : model.getModelWorkers()) {
            if (worker.isRunning()) {
                return true;
            }
        }
        return false;
    }

    private static Path directory() {
        String path = ConfigManager.getInstance().getProperty(DIRECTORY_KEY, "");
        return path.isEmpty() ? null : Paths.get(path);
    }
}
