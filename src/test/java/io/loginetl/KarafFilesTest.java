package io.loginetl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The Karaf files the build writes: the bundle's manifest (bnd, in process-classes) and the features descriptor
 * (filtered in process-resources). No Karaf runs here, so this reads them as Karaf would.
 */
class KarafFilesTest {

    @Test
    void bundleManifestNamesTheBundleExportsItsPackagesAndImportsNoDemoServer() throws IOException {
        Path file = Path.of("target/osgi/MANIFEST.MF");
        assertTrue(Files.isRegularFile(file), file + " is written by bnd-maven-plugin in process-classes");
        Attributes main;
        try (InputStream in = Files.newInputStream(file)) {
            main = new Manifest(in).getMainAttributes();
        }
        assertEquals("io.loginetl.login-etl", main.getValue("Bundle-SymbolicName"));
        assertEquals("2", main.getValue("Bundle-ManifestVersion"));
        String exports = main.getValue("Export-Package");
        for (String pkg : List.of("io.loginetl;", "io.loginetl.routes;", "io.loginetl.masking;")) {
            assertTrue(exports.contains(pkg), "exports " + pkg);
        }
        String imports = main.getValue("Import-Package");
        for (String demoOnly : List.of("org.elasticmq", "io.zonky", "scala", "org.apache.pekko")) {
            assertFalse(imports.contains(demoOnly), "the runtime bundle imports nothing of " + demoOnly + ": " + imports);
        }
        assertTrue(imports.contains("org.apache.camel.component.aws2.sqs"), "imports what it uses");
    }

    @Test
    void featuresDescriptorInstallsTheBundleWithItsCamelFeatures() throws Exception {
        Path file = Path.of("target/karaf/features.xml");
        assertTrue(Files.isRegularFile(file), file + " is filtered from src/main/karaf in process-resources");
        String text = Files.readString(file);
        assertFalse(text.contains("${"), "every property filtered");
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document doc = factory.newDocumentBuilder().parse(file.toFile());
        assertTrue(doc.getDocumentElement().getNamespaceURI().startsWith("http://karaf.apache.org/xmlns/features/"));
        Element feature = elements(doc.getDocumentElement(), "feature").stream()
                .filter(f -> "login-etl".equals(f.getAttribute("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no feature login-etl"));
        List<String> features = elements(feature, "feature").stream().map(Element::getTextContent).map(String::trim).toList();
        assertTrue(features.containsAll(List.of("camel-aws2-sqs", "camel-sql", "camel-jackson")), features.toString());
        List<String> bundles = elements(feature, "bundle").stream().map(Element::getTextContent).map(String::trim).toList();
        assertTrue(bundles.stream().anyMatch(b -> b.matches("mvn:io\\.loginetl/login-etl/[^/]+")), bundles.toString());
        assertTrue(bundles.stream().anyMatch(b -> b.startsWith("mvn:com.zaxxer/HikariCP/")), bundles.toString());
        assertTrue(bundles.stream().anyMatch(b -> b.startsWith("mvn:org.postgresql/postgresql/")), bundles.toString());
        assertFalse(elements(feature, "config").isEmpty(), "settings as a configuration");
    }

    private static List<Element> elements(Element parent, String localName) {
        List<Element> result = new ArrayList<>();
        NodeList children = parent.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element e && localName.equals(e.getLocalName())) {
                result.add(e);
            }
        }
        return result;
    }
}
