package org.ndis4j.tools.run;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ndis4j.ndis.types.DriverEntry;
import org.ndis4j.ndis.types.DriverObject;
import org.ndis4j.ndis.types.NdisStatus;

/**
 * Finds a user's driver in their jars: a class loader of its own over the jars (the SDK and the
 * examples come from ndis4j's own loader, its parent, so the driver and NDIS share one SDK), and the
 * class's DriverEntry — {@code NdisStatus driverEntry(DriverObject, String registryPath)}, the method
 * {@code PnpManager.loadDriver} takes, static or on an instance made with the public no-argument
 * constructor.
 */
public final class DriverLoader implements AutoCloseable {

    private final URLClassLoader loader;

    public DriverLoader(List<Path> jars) {
        List<URL> urls = new ArrayList<>();
        for (Path jar : jars) {
            try {
                urls.add(jar.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new UsageException("--jar " + jar + ": " + e.getMessage());
            }
        }
        loader = new DriverClassLoader(urls.toArray(new URL[0]), DriverLoader.class.getClassLoader());
    }

    /**
     * Child first for the driver's classes (and the examples', so that {@code --jar examples.jar}
     * runs vmini from that jar), parent first for what the driver shares with NDIS: the SDK, the
     * device's datasheet, the JDK, Netty, logging.
     */
    private static final class DriverClassLoader extends URLClassLoader {

        DriverClassLoader(URL[] urls, ClassLoader parent) {
            super("ndis4j-drivers", urls, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (sharedWithNdis(name)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    try {
                        c = findClass(name);
                    } catch (ClassNotFoundException notInTheJars) {
                        return super.loadClass(name, resolve);
                    }
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }

        private static boolean sharedWithNdis(String name) {
            for (String prefix :
                    List.of("java.", "javax.", "jdk.", "sun.", "io.netty.", "org.slf4j.", "tools.jackson.")) {
                if (name.startsWith(prefix)) {
                    return true;
                }
            }
            return name.startsWith("org.ndis4j.") && !name.startsWith("org.ndis4j.examples.");
        }
    }

    /** Where {@code className} was loaded from (a jar given with --jar, or ndis4j's own jar). */
    public String origin(String className) {
        try {
            Class<?> type = Class.forName(className, false, loader);
            var source = type.getProtectionDomain().getCodeSource();
            return source == null ? "ndis4j" : source.getLocation().toString();
        } catch (ClassNotFoundException e) {
            return "nowhere";
        }
    }

    /** The DriverEntry of {@code className}; UsageException when there is no such class or method. */
    public DriverEntry driverEntry(String className) {
        Class<?> type;
        try {
            type = Class.forName(className, true, loader);
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
            throw new UsageException("no class " + className + " in the jars given (--jar) or in ndis4j");
        } catch (ExceptionInInitializerError e) {
            throw new UsageException(className + " failed to initialize: " + e.getCause());
        }
        Method method;
        try {
            method = type.getMethod("driverEntry", DriverObject.class, String.class);
        } catch (NoSuchMethodException e) {
            throw new UsageException(className
                    + " has no public NdisStatus driverEntry(DriverObject driverObject, String registryPath)");
        }
        if (method.getReturnType() != NdisStatus.class) {
            throw new UsageException(
                    className + ".driverEntry returns " + method.getReturnType().getSimpleName() + ", not NdisStatus");
        }
        Object target = null;
        if (!Modifier.isStatic(method.getModifiers())) {
            try {
                target = type.getConstructor().newInstance();
            } catch (ReflectiveOperationException e) {
                throw new UsageException(className
                        + ".driverEntry is an instance method, and the class has no public no-argument constructor");
            }
        }
        Object driver = target;
        return (driverObject, registryPath) -> {
            try {
                return (NdisStatus) method.invoke(driver, driverObject, registryPath);
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r; // a bug check stays a bug check
                }
                if (e.getCause() instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(className + ".driverEntry threw " + e.getCause(), e.getCause());
            } catch (IllegalAccessException e) {
                throw new UsageException(className + ".driverEntry is not accessible: " + e.getMessage());
            }
        };
    }

    /** The simple name, lower case: the name NDIS knows the driver by ("mydriver"). */
    public static String driverName(String className) {
        return className.substring(className.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    }

    @Override
    public void close() throws IOException {
        loader.close();
    }
}
