package io.loginetl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import io.loginetl.routes.BatchWriterRoutes;
import io.loginetl.routes.ErrorHandling;
import org.apache.camel.CamelContext;
import org.apache.camel.RouteTemplateContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.spi.PropertiesSource;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;

/**
 * login-etl for a Camel application that is not ours: the route template {@value #ID}, whose parameters are the
 * settings of {@code application.properties} (the same keys, the same defaults). Adding one route from it adds the
 * whole pipeline to that CamelContext: its beans, the ingest route (the packaged {@code routes/ingest.camel.yaml}),
 * the batch writer and the dead-letter route, each route bound to login-etl's own route configurations by id, so
 * the application's global error handler is neither used nor changed.
 *
 * <pre>
 * context.addRoutes(new LoginEtlTemplate());
 * context.start();
 * TemplatedRouteBuilder.builder(context, LoginEtlTemplate.ID).routeId("login-ingest")
 *         .parameter("sqs.queue", "logins").parameter("db.url", "jdbc:postgresql://db/app")
 *         .parameter("pii.masking.secret", secret).add();
 * </pre>
 *
 * Add the route once the context has started (the template itself can be added any time). One pipeline per
 * CamelContext: the writer routes and beans have fixed names.
 */
public class LoginEtlTemplate extends RouteBuilder {

    public static final String ID = "login-etl";
    private static final String INGEST_ROUTE = "classpath:routes/ingest.camel.yaml";

    @Override
    public void configure() throws Exception {
        Map<String, String> defaults = packagedSettings();
        // the route configurations first: the template's route binds to them by id when it is made
        getCamelContext().addRoutes(new ErrorHandling());
        RouteTemplateDefinition template = routeTemplate(ID);
        defaults.forEach((key, value) -> template.templateParameter(key, value, "login-etl setting (application.properties)"));
        template.setRoute(ingestRoute(getCamelContext()));
        template.configure(rtc -> addPipeline(rtc, defaults));
    }

    /** Before the ingest route is made from the template: the settings, the beans, the other routes. */
    private static void addPipeline(RouteTemplateContext rtc, Map<String, String> defaults) {
        CamelContext context = rtc.getCamelContext();
        if (context.getRegistry().lookupByName("pipelineStats") != null) {
            throw new IllegalStateException("login-etl is already in this CamelContext; add it once");
        }
        if (!context.isStarted()) {
            // routes added while a template is instantiated in a context that has not started are not started with it
            throw new IllegalStateException("add the login-etl route after the CamelContext has started "
                    + "(for example in a StartupListener's onCamelContextStarted)");
        }
        Map<String, String> settings = new LinkedHashMap<>(defaults);
        rtc.getParameters().forEach((key, value) -> settings.put(key, value == null ? null : value.toString()));
        if (context.getPropertiesComponent().getPropertiesSource(Settings.NAME) instanceof Settings earlier) {
            earlier.values().clear(); // a failed earlier attempt: these settings replace its
            earlier.values().putAll(settings);
        } else {
            context.getPropertiesComponent().addPropertiesSource(new Settings(settings));
        }
        try {
            LoginEtlConfiguration beans = new LoginEtlConfiguration();
            beans.embedded = true; // the application's logging stays the application's
            PluginHelper.getBeanPostProcessor(context).postProcessBeforeInitialization(beans, "loginEtl");
            beans.configure(context);
            // dead letters carry the message as received
            context.setAllowUseOriginalMessage(true);
            context.addRoutes(new BatchWriterRoutes());
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("login-etl could not be added: " + e.getMessage(), e);
        }
    }

    /** The keys and raw values of the packaged application.properties, without Camel's own ({@code camel.*}). */
    static Map<String, String> packagedSettings() {
        Properties packaged = new Properties();
        // under login-etl's own name: the application's application.properties is not ours
        try (InputStream in = LoginEtlTemplate.class.getResourceAsStream("/" + LoginEtl.PACKAGED_SETTINGS)) {
            packaged.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> settings = new LinkedHashMap<>();
        packaged.stringPropertyNames().stream().filter(key -> !key.startsWith("camel.")).sorted()
                .forEach(key -> settings.put(key, packaged.getProperty(key)));
        return settings;
    }

    /** The packaged ingest route, as the template's route. */
    private static RouteDefinition ingestRoute(CamelContext context) throws Exception {
        Resource resource = PluginHelper.getResourceLoader(context).resolveResource(INGEST_ROUTE);
        for (RoutesBuilder builder : PluginHelper.getRoutesLoader(context).findRoutesBuilders(resource)) {
            if (builder instanceof RouteBuilder routes) {
                for (RouteDefinition route : routes.configureRoutes(context).getRoutes()) {
                    route.setId(null); // the template's instance names it
                    return route;
                }
            }
        }
        throw new IllegalStateException(INGEST_ROUTE + " holds no route");
    }

    /** The settings of the pipeline, as properties of the context (placeholders in the values resolve as usual). */
    private record Settings(Map<String, String> values) implements PropertiesSource {
        static final String NAME = "login-etl";

        @Override
        public String getName() {
            return NAME;
        }

        @Override
        public String toString() {
            return "login-etl settings " + values.keySet(); // keys only: values include secrets
        }

        @Override
        public String getProperty(String name) {
            return values.get(name);
        }
    }
}
