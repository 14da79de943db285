package serving.plugin;

import java.lang.reflect.Field;
import java.util.Map;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import org.pytorch.serve.job.Job;
import org.pytorch.serve.job.RestJob;
import org.pytorch.serve.wlm.Model;
import org.pytorch.serve.wlm.ModelManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops the queued requests whose client has gone. TorchServe runs every request it
 * queued, whether or not anyone still waits for the answer: after 20 clients gave up on
 * 1-s requests, the next request waited 20 s behind them. When a client hangs up, the
 * front closes its connection to the engine, and TorchServe's job for it then says it
 * is no longer open; a daemon thread takes such jobs out of every model's queue every
 * 20 ms, so that their model never runs them. A job a worker's batch took before the
 * sweep saw it gone (one already running, or one taken in those 20 ms) runs to its end.
 *
 * TorchServe keeps a model's queue in a private field: it is read by reflection
 * (TorchServe is pinned at 0.12.0, and a test hangs up on queued requests through the
 * real server). If the field is missing, nothing is dropped and requests run as before.
 */
final class AbandonedJobs {

    private static final Logger LOG = LoggerFactory.getLogger("serving.abandoned");
    private static final long PERIOD_MS = 20;
    private static final Field QUEUES = Internals.field(Model.class, "jobsDb");
    private static final AtomicBoolean STARTED = new AtomicBoolean();
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private AbandonedJobs() {}

    /** Start the thread that drops them (once). */
    static void start() {
        if (QUEUES == null || !STARTED.compareAndSet(false, true)) {
            return;
        }
        Internals.every("serving-abandoned-jobs", PERIOD_MS, AbandonedJobs::sweep);
    }

    private static void sweep() {
        for (Model model : ModelManager.getInstance().getDefaultModels().values()) {
            try {
                sweep(model);
            } catch (IllegalAccessException | RuntimeException e) {
                // This model's waiting requests run as in TorchServe; the others are swept.
                if (!WARNED.getAndSet(true)) {
                    LOG.warn("queued requests whose client had gone cannot be dropped", e);
                }
            }
        }
    }

    private static void sweep(Model model) throws IllegalAccessException {
        @SuppressWarnings("unchecked")
        Map<String, BlockingDeque<Job>> queues =
                (Map<String, BlockingDeque<Job>>) QUEUES.get(model);
        BlockingDeque<Job> queue = queues == null ? null : queues.get(Model.DEFAULT_DATA_QUEUE);
        if (queue == null || queue.isEmpty()) {
            return;
        }
        int before = queue.size();
        if (queue.removeIf(job -> job instanceof RestJob && !job.isOpen())) {
            LOG.debug(
                    "model {}: dropped {} queued request(s) whose client had gone",
                    model.getModelName(),
                    Math.max(before - queue.size(), 1));
        }
    }
}
