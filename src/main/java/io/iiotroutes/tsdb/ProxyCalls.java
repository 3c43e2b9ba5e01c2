package io.iiotroutes.tsdb;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/** Forwarding calls from the write wrappers' proxies, rethrowing what the target threw rather than a reflection wrapper. */
final class ProxyCalls {

    private ProxyCalls() {
    }

    static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** As {@link #invoke}, for a {@link java.util.concurrent.Callable}: anything not an Exception or Error is wrapped. */
    static Object invokeUnchecked(Object target, Method method, Object[] args) throws Exception {
        try {
            return invoke(target, method, args);
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
