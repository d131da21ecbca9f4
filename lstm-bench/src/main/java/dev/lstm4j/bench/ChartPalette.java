package dev.lstm4j.bench;

import java.awt.Color;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One colour per engine label, the same in every panel: Tableau 10, which stays distinct for colour-blind readers. */
final class ChartPalette {
    private static final int[] RGB = {
        0x4E79A7, 0xF28E2B, 0xE15759, 0x76B7B2, 0x59A14F, 0xEDC948, 0xB07AA1, 0xFF9DA7, 0x9C755F, 0xBAB0AC,
    };

    private ChartPalette() {
    }

    /** Colours by order of appearance; past ten labels the palette repeats darker. */
    static Map<String, Color> forLabels(List<String> labels) {
        Map<String, Color> colours = new LinkedHashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            Color base = new Color(RGB[i % RGB.length]);
            for (int round = i / RGB.length; round > 0; round--) {
                base = base.darker();
            }
            colours.put(labels.get(i), base);
        }
        return colours;
    }
}
