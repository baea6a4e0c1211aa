package antidote.defense;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads and rebuilds a defense's settings record generically, so that the command line, the presets and the
 * report all take the settings from the one record: {@link #fields} lists every setting (components of nested
 * records are flattened, named in kebab case: {@code outerLr} is {@code outer-lr}), and {@link #with} returns a
 * copy with some settings replaced, through the record's canonical constructor (so its range checks run).
 */
public final class SettingsRecord {
    private SettingsRecord() {
    }

    /** One setting: its kebab-case name, its type, its value in the record it was read from, and its help. */
    public record Field(String name, Class<?> type, Object value, String help) {
    }

    /** Every setting of {@code settings}, depth first in declaration order. */
    public static List<Field> fields(Record settings) {
        List<Field> out = new ArrayList<>();
        collect(settings, out);
        Map<String, Field> seen = new HashMap<>();
        for (Field f : out) {
            if (seen.put(f.name(), f) != null) {
                throw new IllegalStateException(settings.getClass().getName() + " has two settings named '"
                        + f.name() + "' (a nested record repeats a name); rename one component");
            }
        }
        return out;
    }

    private static void collect(Record settings, List<Field> out) {
        for (RecordComponent c : settings.getClass().getRecordComponents()) {
            Object value = read(settings, c);
            if (value instanceof Record nested) {
                collect(nested, out);
            } else {
                Setting help = c.getAnnotation(Setting.class);
                out.add(new Field(kebab(c.getName()), c.getType(), value, help == null ? c.getName() : help.value()));
            }
        }
    }

    /** True when {@code settings} (or a record nested in it) has a setting of this kebab-case name. */
    public static boolean has(Record settings, String name) {
        return fields(settings).stream().anyMatch(f -> f.name().equals(name));
    }

    /**
     * A copy of {@code settings} with the settings named in {@code values} (kebab case) replaced; numbers are
     * converted to the component's numeric type. Unknown names are refused with the list of known ones.
     */
    @SuppressWarnings("unchecked")
    public static <S extends Record> S with(S settings, Map<String, ?> values) {
        Map<String, Object> left = new LinkedHashMap<>(values);
        S result = (S) rebuild(settings, left);
        if (!left.isEmpty()) {
            throw new IllegalArgumentException(settings.getClass().getSimpleName() + " has no setting(s) "
                    + left.keySet() + "; it has " + fields(settings).stream().map(Field::name).toList());
        }
        return result;
    }

    /** {@link #with} for one setting. */
    public static <S extends Record> S with(S settings, String name, Object value) {
        return with(settings, Map.of(name, value));
    }

    private static Record rebuild(Record settings, Map<String, Object> left) {
        RecordComponent[] components = settings.getClass().getRecordComponents();
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            types[i] = c.getType();
            Object value = read(settings, c);
            String name = kebab(c.getName());
            if (value instanceof Record nested) {
                args[i] = rebuild(nested, left);
            } else if (left.containsKey(name)) {
                args[i] = convert(left.remove(name), c.getType(), name);
            } else {
                args[i] = value;
            }
        }
        try {
            Constructor<?> canonical = settings.getClass().getDeclaredConstructor(types);
            canonical.setAccessible(true);
            return (Record) canonical.newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot rebuild " + settings.getClass().getName(), e);
        }
    }

    private static Object convert(Object value, Class<?> type, String name) {
        if (value instanceof Number n) {
            if (type == int.class) {
                return n.intValue();
            }
            if (type == long.class) {
                return n.longValue();
            }
            if (type == double.class) {
                return n.doubleValue();
            }
        }
        Class<?> boxed = type == boolean.class ? Boolean.class : type;
        if (!boxed.isInstance(value)) {
            throw new IllegalArgumentException("setting '" + name + "' takes a " + type.getSimpleName() + ", got "
                    + value);
        }
        return value;
    }

    private static Object read(Record settings, RecordComponent c) {
        try {
            var accessor = c.getAccessor();
            accessor.setAccessible(true);
            return accessor.invoke(settings);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + c.getName() + " of " + settings.getClass().getName(), e);
        }
    }

    /** {@code outerLr} → {@code outer-lr}. */
    public static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** An enum constant's command-line spelling: {@code FIXED_POINT} → {@code fixed-point}. */
    public static String spell(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The enum constant spelled {@code text} (as {@link #spell} writes it, any case). */
    public static <E extends Enum<E>> E parseEnum(Class<E> type, String text) {
        for (E e : type.getEnumConstants()) {
            if (spell(e).equalsIgnoreCase(text.strip()) || e.name().equalsIgnoreCase(text.strip())) {
                return e;
            }
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(spell(e));
        }
        throw new IllegalArgumentException("'" + text + "' is not one of " + names);
    }
}
