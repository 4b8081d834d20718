package dev.runlog.tracking.spi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The one rule by which Runlog finds its plugins ({@code StoreProvider}, {@code ModelFlavor},
 * {@code RegistryStoreProvider}): {@link ServiceLoader} is asked with two class loaders, in order,
 *
 * <ol>
 *   <li>the calling thread's context class loader, when it is set: the application's loader, which
 *       in a container or a plugin host sees plugins that Runlog's own loader cannot; then</li>
 *   <li>the class loader that defined the service interface, which is Runlog's own: so the stores
 *       and flavors shipped beside Runlog are found even on a thread whose context loader does not
 *       see Runlog (a pool thread created elsewhere, a module layer above the boot layer).</li>
 * </ol>
 *
 * For each loader ServiceLoader finds the providers of named modules defined to it, to its parents
 * and in its module layer and that layer's parents ({@code provides} clauses), then those listed in
 * {@code META-INF/services} files the loader sees (the class path). A provider class found through
 * both loaders is used once, where first found. Providers are created lazily, as iteration reaches
 * them.
 *
 * <p>The module system lets only a module that declares {@code uses S} load providers of {@code S},
 * and checks the module of the code that calls {@code ServiceLoader.load}; so the caller passes that
 * call, written in its own module ({@code loader -> ServiceLoader.load(S.class, loader)}), and this
 * class applies the rule around it.
 */
public final class Plugins {
    private Plugins() {
    }

    /**
     * The providers of {@code service}, found by the rule above; each iteration looks again, so a
     * provider added to the context loader since is seen.
     *
     * @param lookup {@code loader -> ServiceLoader.load(service, loader)}, written in the module that
     *               declares {@code uses service}
     */
    public static <S> Iterable<S> load(Class<S> service, Function<ClassLoader, ServiceLoader<S>> lookup) {
        return () -> new Found<>(loaders(service).iterator(), lookup);
    }

    /**
     * The providers of each loader in turn, each created only when iteration reaches it. Not a
     * stream's flatMap: its iterator buffers a whole inner stream, so asking for the first provider
     * created every provider on the class path.
     */
    private static final class Found<S> implements Iterator<S> {
        private final Iterator<ClassLoader> loaders;
        private final Function<ClassLoader, ServiceLoader<S>> lookup;
        private final Set<Class<?>> seen = new HashSet<>();
        private Iterator<ServiceLoader.Provider<S>> current = Collections.emptyIterator();
        private ServiceLoader.Provider<S> next;

        Found(Iterator<ClassLoader> loaders, Function<ClassLoader, ServiceLoader<S>> lookup) {
            this.loaders = loaders;
            this.lookup = lookup;
        }

        @Override
        public boolean hasNext() {
            while (next == null) {
                if (current.hasNext()) {
                    ServiceLoader.Provider<S> provider = current.next();
                    if (seen.add(provider.type())) {
                        next = provider;
                    }
                } else if (loaders.hasNext()) {
                    current = lookup.apply(loaders.next()).stream().iterator();
                } else {
                    return false;
                }
            }
            return true;
        }

        @Override
        public S next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            ServiceLoader.Provider<S> provider = next;
            next = null;
            return provider.get();
        }
    }

    private static List<ClassLoader> loaders(Class<?> service) {
        List<ClassLoader> loaders = new ArrayList<>(2);
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (context != null) {
            loaders.add(context);
        }
        // Runlog is never on the boot loader, so the service type's loader is not null.
        ClassLoader own = service.getClassLoader();
        if (own != context) {
            loaders.add(own);
        }
        return loaders;
    }

    /**
     * The provider whose scheme is {@code scheme}, ignoring case, among {@code providers}; else the
     * exception {@code missing} makes of the schemes that are available, sorted. How a store or an
     * artifact location is picked by its URI's scheme.
     */
    public static <P> P providerFor(Iterable<P> providers, Function<P, String> schemeOf, String scheme,
                                    Function<TreeSet<String>, RuntimeException> missing) {
        InputRules.notNull("providers", providers);
        InputRules.notNull("schemeOf", schemeOf);
        InputRules.notNull("scheme", scheme);
        InputRules.notNull("missing", missing);
        TreeSet<String> available = new TreeSet<>();
        for (P provider : providers) {
            if (schemeOf.apply(provider).equalsIgnoreCase(scheme)) {
                return provider;
            }
            available.add(schemeOf.apply(provider));
        }
        throw missing.apply(available);
    }

    /**
     * What to tell a user whose scheme no provider handles: add the Runlog {@code module} (such as
     * {@code dev.runlog:storage-sqlite}) that brings it, {@code where} (may be empty), or, when no
     * module is known (an empty {@code module}), {@code otherwise}.
     */
    public static String moduleHint(String module, String where, String otherwise) {
        InputRules.notNull("module", module);
        InputRules.notNull("where", where);
        InputRules.notNull("otherwise", otherwise);
        return !module.isEmpty()
                ? "add the module " + module + (where.isEmpty() ? "" : " " + where) + " (Maven: groupId dev.runlog, artifactId "
                        + module.substring(module.indexOf(':') + 1) + ")"
                : "no Runlog module is known to provide it; " + otherwise;
    }
}
