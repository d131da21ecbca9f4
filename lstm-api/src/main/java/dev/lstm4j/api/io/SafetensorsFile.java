package dev.lstm4j.api.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The whole content of a safetensors file in memory.
 *
 * @param tensors  arrays by name, in the order they are (or will be) listed in the header
 * @param metadata the {@code __metadata__} strings, empty when none
 */
public record SafetensorsFile(Map<String, NdArray> tensors, Map<String, String> metadata) {

    public SafetensorsFile {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(tensors, "tensors")));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(metadata, "metadata")));
    }

    /** The named tensor, or an {@link IllegalArgumentException} listing the names there are. */
    public NdArray tensor(String name) {
        NdArray a = tensors.get(name);
        if (a == null) {
            throw new IllegalArgumentException("no tensor named '" + name + "'; the file has " + tensors.keySet());
        }
        return a;
    }
}
