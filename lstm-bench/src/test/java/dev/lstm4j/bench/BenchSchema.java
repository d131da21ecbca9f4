package dev.lstm4j.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.InputStream;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The JSON schema lstm-bench ships, for tests: validates a document and parses it for further checks. */
public final class BenchSchema {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private BenchSchema() {
    }

    /** Parses {@code json}, asserts that it conforms to the schema, and returns the tree. */
    public static JsonNode validate(String json) throws IOException {
        JsonSchema schema;
        try (InputStream in = BenchJson.class.getResourceAsStream("lstm4j-bench.schema.json")) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
        JsonNode tree = MAPPER.readTree(json);
        Set<ValidationMessage> problems = schema.validate(tree);
        assertEquals(Set.of(), problems, "schema violations in:\n" + json);
        return tree;
    }
}
