package serving.plugin;

import java.lang.invoke.VarHandle;
import org.pytorch.serve.archive.model.ModelConfig;
import org.pytorch.serve.wlm.Model;
import org.pytorch.serve.wlm.ModelManager;

/**
 * Batches that wait for nothing: a model whose model-config.yaml says {@code
 * maxBatchDelay: 0} (the YAML's {@code max_batch_delay_ms: 0}) gets a lone request sent at
 * once, and a request already queued when a worker takes one joins it.
 *
 * <p>TorchServe 0.12.0's aggregator (Model.pollBatch) polls for each request after the
 * first while the delay lasts and stops once it is spent, so with a delay of 0 a batch is
 * the first request and at most one more that is already queued; but its ModelManager
 * reads a 0 in model-config.yaml, and in config.properties' {@code models} JSON, as
 * "unset" and puts its 100-ms default in its place. Every model-config.yaml here is the runtime's and always
 * names the delay, so a 0 there was asked for: this sets it on the registered model, before
 * ReadyFlags lets the front send it a request. pollBatch reads the delay at every batch.
 */
final class NoWaitBatches {

    private NoWaitBatches() {}

    /** Give every registered model that asked for no wait its delay of 0. */
    static void apply() {
        ModelManager manager = ModelManager.getInstance();
        if (manager == null) {
            return; // not started yet
        }
        for (Model model : manager.getDefaultModels().values()) {
            if (model.getBatchSize() > 1 && model.getMaxBatchDelay() != 0 && asksNoWait(model)) {
                model.setMaxBatchDelay(0);
                // The workers' threads read the field (not volatile) under a lock of their
                // own: make the write visible before the model is flagged ready.
                VarHandle.fullFence();
            }
        }
    }

    private static boolean asksNoWait(Model model) {
        ModelConfig config =
                model.getModelArchive() == null ? null : model.getModelArchive().getModelConfig();
        return config != null && config.getMaxBatchDelay() == 0;
    }
}
