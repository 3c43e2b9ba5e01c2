package io.iiotroutes.it;

import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Reading;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The TSDB rows that published messages must become (docs/contract.md), one per reading, as column maps. */
final class ReadingRows {

    private ReadingRows() {
    }

    /**
     * @param timeColumn name of the time column in the TSDB's answer
     * @param time       the time value that TSDB answers for a message's source timestamp
     */
    static List<Map<String, Object>> expected(List<NodeMessage> messages, String timeColumn,
                                              Function<NodeMessage, Object> time) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (NodeMessage message : messages) {
            for (Reading reading : message.readings()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put(timeColumn, time.apply(message));
                row.put("site", message.site());
                row.put("node", message.node());
                row.put("channel", reading.channel());
                row.put("unit", reading.unit());
                row.put("value", reading.value());
                row.put("raw", reading.raw() == null ? null : reading.raw().intValue());
                row.put("quality", reading.quality().name());
                row.put("reason", reading.reason());
                row.put("seq", (int) message.seq());
                row.put("historical", message.historical());
                rows.add(row);
            }
        }
        return rows;
    }
}
