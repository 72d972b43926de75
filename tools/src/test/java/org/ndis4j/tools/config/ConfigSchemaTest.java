package org.ndis4j.tools.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * docs/config.schema.json (what editors check a file with) and {@link ConfigReader} (what ndis4j
 * runs) agree: every example configuration in docs/config validates and loads, and files each of them
 * must refuse are refused by both.
 */
class ConfigSchemaTest {

    static final Path DOCS = Path.of("..", "docs");
    static Schema schema;

    @BeforeAll
    static void loadTheSchema() throws IOException {
        schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(Files.readString(DOCS.resolve("config.schema.json")));
    }

    static List<String> schemaErrors(String text) {
        return schema.validate(JsonMapper.builder().build().readTree(text)).stream()
                .map(Object::toString)
                .toList();
    }

    @Test
    void everyExampleInTheDocsValidatesAndLoads() throws IOException {
        List<Path> examples;
        try (Stream<Path> files = Files.list(DOCS.resolve("config"))) {
            examples =
                    files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(examples).hasSizeGreaterThanOrEqualTo(3);
        for (Path example : examples) {
            assertThat(schemaErrors(Files.readString(example)))
                    .as(example.toString())
                    .isEmpty();
            assertThat(ConfigReader.read(example).adapters())
                    .as(example.toString())
                    .isNotEmpty();
        }
    }

    @Test
    void whatTheReaderRefusesTheSchemaRefuses() {
        List<String> bad = List.of(
                "{\"adapters\": [{\"keywords\": {\"*JumboPaket\": 9014}}]}",
                "{\"adapters\": [{\"keywords\": {\"*JumboPacket\": 9015}}]}",
                "{\"adapters\": [{\"keywords\": {\"*JumboPacket\": true}}]}",
                "{\"adapters\": [{\"keywords\": {\"*InterruptModeration\": 2}}]}",
                "{\"adapters\": [{\"keywords\": {\"Vendor\": {\"dword\": -1}}}]}",
                "{\"adapters\": [{\"keywords\": {\"Vendor\": {\"binary\": \"abc\"}}}]}",
                "{\"adapters\": [{\"nam\": \"x\"}]}",
                "{\"adapters\": [{\"wire\": \"tcp:1.2.3.4:5\"}]}",
                "{\"kernel\": {\"processors\": \"two\"}}",
                "{\"kernel\": {\"processors\": 0}}",
                "{\"kernel\": {\"verifier\": \"max\"}}",
                "{\"drivers\": {\"miniport\": \"not a class\"}}",
                "{\"extra\": 1}");
        for (String text : bad) {
            assertThat(schemaErrors(text)).as("the schema on %s", text).isNotEmpty();
            assertThatThrownBy(() -> ConfigReader.read("bad.json", Path.of("."), text))
                    .as("the reader on %s", text)
                    .isInstanceOf(ConfigException.class);
        }
    }
}
