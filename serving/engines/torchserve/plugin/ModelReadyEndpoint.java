package serving.plugin;

import java.io.IOException;
import java.io.OutputStream;
import org.pytorch.serve.servingsdk.Context;
import org.pytorch.serve.servingsdk.Model;
import org.pytorch.serve.servingsdk.ModelServerEndpoint;
import org.pytorch.serve.servingsdk.Worker;
import org.pytorch.serve.servingsdk.annotations.Endpoint;
import org.pytorch.serve.servingsdk.annotations.helpers.EndpointTypes;
import org.pytorch.serve.servingsdk.http.Request;
import org.pytorch.serve.servingsdk.http.Response;

/**
 * GET /serving-model-ready/{model}: 204 while the model has a worker that can take a
 * request, 403 while it has none (loading, every worker restarting), 404 for an
 * unknown model. The front asks before each invocation (nginx auth_request, which reads
 * 2xx as "go on" and 403 as "refuse"), so that a request nobody can serve is a 503 at
 * once instead of a wait in TorchServe's queue until its timeout.
 */
@Endpoint(
        urlPattern = "serving-model-ready",
        endpointType = EndpointTypes.INFERENCE,
        description = "Whether one model has a worker that can serve")
public class ModelReadyEndpoint extends ModelServerEndpoint {

    @Override
    public void doGet(Request req, Response rsp, Context ctx) throws IOException {
        String[] segments = req.getRequestURI().split("\\?", 2)[0].split("/");
        Model model = segments.length == 3 ? ctx.getModels().get(segments[2]) : null;
        int status = 404;
        if (model != null) {
            status = 403;
            for (Worker worker : model.getModelWorkers()) {
                if (worker.isRunning()) {
                    status = 204;
                    break;
                }
            }
        }
        rsp.setStatus(status, status == 204 ? "No Content" : status == 403 ? "Forbidden" : "Not Found");
        try (OutputStream out = rsp.getOutputStream()) {
            out.flush();
        }
    }
}
