import org.apache.camel.dsl.jbang.core.commands.CamelJBangMain;

/**
 * The {@code main} that camel-jbang-core lacks (JBang's {@code CamelJBang.java} is the same call):
 * {@code bin/camel ARGS...} runs {@code camel ARGS...}. {@code CamelJBangMain.run} ends the JVM with the command's
 * exit code; an error it lets through (a class missing from the routes' dependencies) would otherwise leave the
 * JVM running on the threads the application had started, so it ends the JVM with 1.
 */
public final class CamelCli {

    private CamelCli() {
    }

    public static void main(String[] args) {
        try {
            CamelJBangMain.run(args);
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1);
        }
    }
}
