package org.codehaus.plexus.classworlds.launcher;

import java.lang.reflect.Method;

/**
 * Stands in for Maven's launcher in a child JVM: like {@code mvn exec:java}, it is the class the
 * JVM starts, and it calls the user's main method on a thread named {@code "<class>.main()"}.
 */
public final class Launcher {
    private Launcher() {
    }

    public static void main(String[] args) throws Exception {
        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        Thread thread = new Thread(() -> {
            try {
                main.invoke(null, (Object) new String[0]);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }, args[0] + ".main()");
        thread.start();
        thread.join();
    }
}
