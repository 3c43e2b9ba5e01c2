package io.iiotroutes.model;

/** Data quality of one reading, in the OPC UA / NAMUR spirit: can a consumer trust the value? */
public enum Quality {
    GOOD,
    UNCERTAIN,
    BAD
}
