package serving.plugin;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Instant;
import org.pytorch.serve.util.ConfigManager;
import org.pytorch.serve.util.TokenAuthorization;

/**
 * Every listener of TorchServe's takes the key that serve chose, instead of the ones
 * TorchServe drew at start-up and would expire within the hour.
 *
 * <p>TorchServe 0.12 cannot turn off its two gRPC listeners, nor move them off TCP: with
 * token authorization off, any local user could register, scale or unregister models
 * through them. So token authorization is on, and every key (inference, management, the
 * token API's) is the one in config.properties' serving_token, which only serve's
 * private directory holds: nginx sends it on every request it forwards, the workers on
 * their stream checks. The keys live in private static fields of TorchServe's
 * TokenAuthorization, set here by reflection: the plugin is loaded after TorchServe has
 * drawn its own keys and before any listener is open. TorchServe is pinned at 0.12.0,
 * and a test calls the gRPC listener with and without the key.
 */
final class PrivateKeys {

    static final String TOKEN_KEY = "serving_token";

    private PrivateKeys() {}

    /** Install serve's key; false when there is none to install or it could not be. */
    static boolean install() {
        String token = ConfigManager.getInstance().getProperty(TOKEN_KEY, "");
        if (token.isEmpty() || !Boolean.TRUE.equals(TokenAuthorization.isEnabled())) {
            return false;
        }
        try {
            for (String name : new String[] {"apiKey", "managementKey", "inferenceKey"}) {
                set(name, token);
            }
            // The token lasts as long as the server: serve draws a new one per start.
            for (String name :
                    new String[] {"managementExpirationTimeMinutes", "inferenceExpirationTimeMinutes"}) {
                set(name, Instant.MAX);
            }
            // TorchServe's own keys, now void, were written there: nobody should use them.
            Files.deleteIfExists(Paths.get(System.getProperty("user.dir"), "key_file.json"));
            return true;
        } catch (ReflectiveOperationException | java.io.IOException | RuntimeException e) {
            throw new IllegalStateException("serving: could not install the private key", e);
        }
    }

    private static void set(String name, Object value) throws ReflectiveOperationException {
        Field field = TokenAuthorization.class.getDeclaredField(name);
        field.setAccessible(true);
        field.set(null, value);
    }
}
