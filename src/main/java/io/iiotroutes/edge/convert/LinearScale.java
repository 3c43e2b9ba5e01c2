package io.iiotroutes.edge.convert;

/** Straight line through (inLow, outLow) and (inHigh, outHigh). */
public record LinearScale(double inLow, double inHigh, double outLow, double outHigh) {

    public double apply(double in) {
        return outLow + (in - inLow) * (outHigh - outLow) / (inHigh - inLow);
    }
}
