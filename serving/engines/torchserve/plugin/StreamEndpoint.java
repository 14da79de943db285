package serving.plugin;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.pytorch.serve.job.Job;
import org.pytorch.serve.job.RestJob;
import org.pytorch.serve.servingsdk.Context;
import org.pytorch.serve.servingsdk.ModelServerEndpoint;
import org.pytorch.serve.servingsdk.annotations.Endpoint;
import org.pytorch.serve.servingsdk.annotations.helpers.EndpointTypes;
import org.pytorch.serve.servingsdk.http.Request;
import org.pytorch.serve.servingsdk.http.Response;
import org.pytorch.serve.wlm.BatchAggregator;
import org.pytorch.serve.wlm.ModelManager;
import org.pytorch.serve.wlm.WorkerThread;

/**
 * The client connection of a streamed answer, as its worker sees it. TorchServe sends
 * the parts a worker pushes whether or not anyone still reads them, and cannot tell the
 * worker either way; a worker streaming request R asks here instead:
 *
 * <ul>
 *   <li>GET /serving-stream/R: "open" (the connection takes more), "full" (it is open
 *       but its write buffer is above the high-water mark: the client reads slower than
 *       the model produces, so the worker waits), "closed" (the client went away: the
 *       worker stops the generator), or "unknown" (no such request in flight).
 *   <li>DELETE /serving-stream/R: close the connection now, so that the client sees a
 *       cut stream (no last chunk) when the answer failed mid-stream: TorchServe would
 *       otherwise end it like a success.
 * </ul>
 *
 * Always 200 with the word as the body, so that the worker's keep-alive connection
 * stays open (TorchServe closes the connection after any status of 400 or more). Reachable
 * on the inference listener only, a Unix socket in the server's private directory; the
 * front does not route it.
 *
 * TorchServe keeps in-flight requests in private fields (a worker thread's batch
 * aggregator holds its jobs; a job holds its channel). They are read by reflection:
 * TorchServe is pinned at 0.12.0, and a test streams through the real server. If the
 * fields are missing, every request is "unknown" and streams still work, without
 * disconnect detection or backpressure.
 */
@Endpoint(
        urlPattern = "serving-stream",
        endpointType = EndpointTypes.INFERENCE,
        description = "State of a streamed answer's client connection")
public class StreamEndpoint extends ModelServerEndpoint {

    private static final Field AGGREGATOR = Internals.field(WorkerThread.class, "aggregator");
    private static final Field JOBS = Internals.field(BatchAggregator.class, "jobs");
    private static final Field CONTEXT = Internals.field(RestJob.class, "ctx");

    @Override
    public void doGet(Request req, Response rsp, Context ctx) throws IOException {
        Channel channel = channelOf(requestId(req));
        String state;
        if (channel == null) {
            state = "unknown";
        } else if (!channel.isActive()) {
            state = "closed";
        } else {
            state = channel.isWritable() ? "open" : "full";
        }
        answer(rsp, state);
    }

    @Override
    public void doDelete(Request req, Response rsp, Context ctx) throws IOException {
        Channel channel = channelOf(requestId(req));
        if (channel != null) {
            channel.close();
        }
        answer(rsp, channel == null ? "unknown" : "closed");
    }

    private static String requestId(Request req) {
        String[] segments = req.getRequestURI().split("\\?", 2)[0].split("/");
        return segments.length == 3 ? segments[2] : "";
    }

    private static void answer(Response rsp, String state) throws IOException {
        rsp.setStatus(200, "OK");
        rsp.setContentType("text/plain");
        try (OutputStream out = rsp.getOutputStream()) {
            out.write(state.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static Channel channelOf(String requestId) {
        if (AGGREGATOR == null || JOBS == null || CONTEXT == null || requestId.isEmpty()) {
            return null;
        }
        try {
            for (WorkerThread worker : ModelManager.getInstance().getWorkers().values()) {
                Object aggregator = AGGREGATOR.get(worker);
                if (aggregator == null) {
                    continue;
                }
                @SuppressWarnings("unchecked")
                Map<String, Job> jobs = (Map<String, Job>) JOBS.get(aggregator);
                // Read without the worker thread's lock: the request asked about is in
                // flight, and its worker changes the map only between batches.
                Job job = jobs == null ? null : jobs.get(requestId);
                if (job instanceof RestJob) {
                    ChannelHandlerContext context = (ChannelHandlerContext) CONTEXT.get(job);
                    return context == null ? null : context.channel();
                }
            }
        } catch (IllegalAccessException | RuntimeException e) {
            return null; // another worker's map changed under us: ask again later
        }
        return null;
    }
}
