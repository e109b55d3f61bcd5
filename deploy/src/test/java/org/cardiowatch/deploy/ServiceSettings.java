package org.cardiowatch.deploy;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every setting of a service, read from its code: the properties of its configuration mapping (with
 * their defaults, as {@code application.properties} sets them or else the mapping's) and the
 * environment variables {@code application.properties} reads by name.
 */
final class ServiceSettings {

    /** One setting: its property, the environment variable that sets it, its default (null: none). */
    record Setting(String service, String property, String environmentVariable, String defaultValue) {
    }

    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::((?:[^{}]|\\$\\{[^}]*})*))?}");

    private ServiceSettings() {
    }

    static List<Setting> of(String service, Class<?> mapping, Path module) {
        Properties properties = applicationProperties(module);
        List<Setting> settings = new ArrayList<>();
        String prefix = mapping.getAnnotation(ConfigMapping.class).prefix();
        walk(service, mapping, prefix, properties, settings);
        for (String name : properties.stringPropertyNames()) {
            Matcher expression = EXPRESSION.matcher(properties.getProperty(name));
            if (!name.startsWith("%") && expression.find()) {
                settings.removeIf(s -> s.property().equals(name));
                String fallback = expression.group(2);
                settings.add(new Setting(service, name, expression.group(1),
                        fallback == null || fallback.isEmpty() ? null : fallback));
            }
        }
        settings.sort(Comparator.comparing(Setting::property));
        return settings;
    }

    private static void walk(String service, Class<?> group, String prefix, Properties properties, List<Setting> into) {
        Method[] methods = group.getDeclaredMethods();
        Arrays.sort(methods, Comparator.comparing(Method::getName));
        for (Method method : methods) {
            if (method.getParameterCount() > 0 || Modifier.isStatic(method.getModifiers()) || method.isDefault()) {
                continue;
            }
            WithName renamed = method.getAnnotation(WithName.class);
            String property = prefix + "." + (renamed != null ? renamed.value() : kebab(method.getName()));
            Class<?> type = method.getReturnType();
            if (type.isInterface() && type.getDeclaringClass() != null && !Map.class.isAssignableFrom(type)
                    && type != Optional.class && type != List.class) {
                walk(service, type, property, properties, into);
                continue;
            }
            WithDefault fallback = method.getAnnotation(WithDefault.class);
            String value = properties.getProperty(property, fallback == null ? null : fallback.value());
            into.add(new Setting(service, Map.class.isAssignableFrom(type) ? property + ".*" : property,
                    Map.class.isAssignableFrom(type) ? null : environmentVariable(property), value));
        }
    }

    /** SmallRye Config's rule: upper case, every character but letters and digits an underscore. */
    static String environmentVariable(String property) {
        return property.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static Properties applicationProperties(Path module) {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(module.resolve("src/main/resources/application.properties"))) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }
}
