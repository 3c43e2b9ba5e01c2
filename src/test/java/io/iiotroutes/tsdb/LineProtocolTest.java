package io.iiotroutes.tsdb;

import com.influxdb.client.write.Point;
import io.iiotroutes.model.NodeMessage;
import io.iiotroutes.model.Quality;
import io.iiotroutes.model.Reading;
import io.iiotroutes.server.PointMapper;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Our line-protocol encoder against the reference one, influxdb-client-java's {@link Point#toLineProtocol()} (the
 * encoder the batched readings used before; {@link ReferencePoints}): the same message gives the same lines, character for character, except
 * that a float outside [0.001, 10^7) is written in plain decimal instead of with an exponent (compared by value).
 */
class LineProtocolTest {

    private static final Pattern FLOAT_FIELD = Pattern.compile("(?<=[ ,])(value)=([-0-9.E]+)(?=[, ])");

    private final PointMapper mapper = new PointMapper();

    @Test
    void escapesWhatTheProtocolReferenceSays() {
        String line = new LineProtocol().measurement("read ing,x")
                .tag("unit", "m3/h per, = unit").tag("empty", "").tag("absent", null)
                .stringField("reason", "said \"no\" \\ then")
                .integerField("seq", 7L).booleanField("historical", true).floatField("value", 1.5)
                .end(1_700_000_000_123L).lines().text();

        assertEquals("read\\ ing\\,x,unit=m3/h\\ per\\,\\ \\=\\ unit reason=\"said \\\"no\\\" \\\\ then\",seq=7i,"
                + "historical=true,value=1.5 1700000000123", line);
    }

    @Test
    void aPointWithoutFieldsIsLeftOutAndNotCounted() {
        LineProtocol lines = new LineProtocol();
        lines.measurement("a").tag("t", "1").floatField("value", Double.NaN).end(1);
        lines.measurement("b").integerField("seq", 2L).end(2);
        lines.measurement("c").floatField("value", null).end(3);
        lines.measurement("d").floatField("value", Double.POSITIVE_INFINITY).booleanField("ok", false).end(4);

        assertEquals(new Lines("b seq=2i 2\nd ok=false 4", 2), lines.lines());
        assertEquals(new Lines("", 0), new LineProtocol().lines());
    }

    @Test
    void joinsMessagesIntoOneBodySkippingEmptyOnes() {
        Lines a = new Lines("a v=1i 1", 1);
        Lines b = new Lines("b v=2i 2\nb v=3i 3", 2);

        assertEquals(new Lines("a v=1i 1\nb v=2i 2\nb v=3i 3", 3), Lines.join(List.of(a, new Lines("", 0), b)));
    }

    @Test
    void extremeFloatsToo() {
        for (double value : new double[]{Double.MIN_VALUE, -1e-300, Double.MAX_VALUE, -0.0, 1e7, 9_999_999.999, 0.001}) {
            floatsArePlainDecimalAndReadBackExactly(value);
        }
        assertEquals("m value=10000000 0", new LineProtocol().measurement("m").floatField("value", 1e7).end(0).lines().text());
    }

    @Property(tries = 2000)
    void floatsArePlainDecimalAndReadBackExactly(@ForAll double value) {
        String text = new LineProtocol().measurement("m").floatField("value", value).end(0).lines().text();
        String number = text.substring("m value=".length(), text.length() - " 0".length());

        assertFalse(number.contains("E") || number.contains("e"), number);
        assertEquals(value, Double.parseDouble(number), 0.0);
    }

    @Property(tries = 500)
    void readingsEncodeAsTheReferenceClientEncodesThem(@ForAll("messages") NodeMessage message) {
        String ours = mapper.toLines(message).text();
        String reference = ReferencePoints.of(message).stream().map(Point::toLineProtocol).collect(Collectors.joining("\n"));

        assertEquals(canonicalFloats(reference), canonicalFloats(ours));
        assertEquals(message.readings().size(), mapper.toLines(message).points());
    }

    /** Float fields by value: the reference writes 1.0E-5 where we write 0.00001. */
    private static String canonicalFloats(String lines) {
        Matcher matcher = FLOAT_FIELD.matcher(lines);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(out, matcher.group(1) + "=" + Double.toString(Double.parseDouble(matcher.group(2))));
        }
        return matcher.appendTail(out).toString();
    }

    @Provide
    Arbitrary<NodeMessage> messages() {
        // names as the contract allows them; units and reasons with the characters the protocol escapes
        Arbitrary<String> names = Arbitraries.strings().withChars("abcXYZ019_-.").ofMinLength(1).ofMaxLength(12);
        Arbitrary<String> units = Arbitraries.strings().withChars("m3/h% ,=°C\\µ").ofMinLength(0).ofMaxLength(8);
        Arbitrary<String> reasons = Arbitraries.strings().withChars("wire brk\"\\,:éü").ofMinLength(1).ofMaxLength(20)
                .injectNull(0.5);
        Arbitrary<Double> values = Arbitraries.oneOf(Arbitraries.doubles(),
                Arbitraries.doubles().between(-1e-3, 1e-3).ofScale(12), Arbitraries.doubles().between(-1e12, 1e12)).injectNull(0.2);
        Arbitrary<Long> raws = Arbitraries.longs().injectNull(0.3);
        Arbitrary<Reading> readings = Combinators.combine(names, values, units, raws, Arbitraries.of(Quality.class), reasons)
                .as(Reading::new);
        return Combinators.combine(names, names, Arbitraries.longs().between(0, Long.MAX_VALUE),
                        Arbitraries.longs().between(0, 4_102_444_800_000L), readings.list().ofMinSize(1).ofMaxSize(8))
                .as(NodeMessage::live);
    }
}
