package io.iiotroutes.server;

import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Quality;
import io.iiotroutes.model.Reading;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PointMapperTest {

    private final PointMapper mapper = new PointMapper();

    @Test
    void mapsEachReadingToOneLineAtTheSourceTimestamp() {
        NodeMessage message = NodeMessage.live("plant1", "node-1", 42, 1_763_928_000_123L, List.of(
                new Reading("ai1", 5.0, "bar", 16000L, Quality.GOOD, null),
                new Reading("rtd1", null, "degC", null, Quality.BAD, "wire break")));

        List<String> lines = List.of(mapper.toLines(message).text().split("\n"));

        assertEquals(List.of(
                "reading,channel=ai1,node=node-1,site=plant1,unit=bar "
                        + "historical=false,quality=\"GOOD\",raw=16000i,seq=42i,value=5.0 1763928000123",
                "reading,channel=rtd1,node=node-1,site=plant1,unit=degC "
                        + "historical=false,quality=\"BAD\",reason=\"wire break\",seq=42i 1763928000123"), lines);
    }

    @Test
    void theSameMessageAlwaysGivesTheSameLines() {
        NodeMessage message = NodeMessage.live("s", "n", 1, 5, List.of(Reading.good("a", 1, "V", 2L)));

        assertEquals(mapper.toLines(message), mapper.toLines(message));
    }
}
