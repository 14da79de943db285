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
 * 20 ms, before a worker's batch can take them, so that their model never runs them.
 * A job already in a batch runs to its end (its worker cannot be told).
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

    private AbandonedJobs() {}

    /** Start the thread that drops them (once). */
    static void start() {
        if (QUEUES == null || !STARTED.compareAndSet(false, true)) {
            return;
        }
        Internals.every("serving-abandoned-jobs", PERIOD_MS, AbandonedJobs::sweep);
    }

    private static void sweep() {
        try {
            for (Model model : ModelManager.getInstance().getDefaultModels().values()) {
                @SuppressWarnings("unchecked")
                Map<String, BlockingDeque<Job>> queues =
                        (Map<String, BlockingDeque<Job>>) QUEUES.get(model);
                BlockingDeque<Job> queue =
                        queues == null ? null : queues.get(Model.DEFAULT_DATA_QUEUE);
                if (queue == null || queue.isEmpty()) {
                    continue;
                }
                int before = queue.size();
                if (queue.removeIf(job -> job instanceof RestJob && !job.isOpen())) {
                    LOG.debug(
                            "model {}: dropped {} queued request(s) whose client had gone",
                            model.getModelName(),
                            Math.max(before - queue.size(), 1));
                }
            }
        } catch (IllegalAccessException | RuntimeException e) {
            // Next time: until then the requests wait their turn, as in TorchServe.
        }
    }
}
