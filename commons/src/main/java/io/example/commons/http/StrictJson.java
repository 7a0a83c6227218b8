package io.example.commons.http;

import java.io.StringReader;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.json.JsonException;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;

/**
 * Binds a JSON text to a record with no coercion: each record component takes only the JSON type that means
 * it, so nothing a client sends is silently changed or dropped.
 *
 * <ul>
 *   <li>{@code String}: a JSON string without control characters (tab, LF and CR allowed) or unpaired
 *   surrogates, which no database stores as sent;</li>
 *   <li>{@code int}/{@code Integer}, {@code long}/{@code Long}: a JSON number written as a whole number
 *   ({@code 7}, not {@code 7.0} or {@code 7e0}) that fits the type: never wrapped, never truncated;</li>
 *   <li>{@code BigDecimal}: any JSON number of at most 100 characters, exactly as written;</li>
 *   <li>{@code boolean}/{@code Boolean}: {@code true} or {@code false};</li>
 *   <li>an enum: a JSON string equal to a constant's name, case included;</li>
 *   <li>{@code List}/{@code Set}: a JSON array of the element type; a record: a JSON object.</li>
 * </ul>
 *
 * <p>A JSON {@code null} or an absent member binds {@code null} (the record's own validation says what is
 * required); a member the record does not have, or a member given twice, is an error. Every error is
 * collected with the path of its field ({@code items[0].quantity}) and answered as one 400.
 */
final class StrictJson {
    private static final JsonParserFactory PARSERS = JsonProvider.provider().createParserFactory(Map.of());

    private static final int MAX_NUMBER_LENGTH = 100;
    // written without fraction or exponent: 7, not 7.0 or 7e0 (the parser calls 7e0 integral but 7e1 not)
    private static final Pattern WHOLE = Pattern.compile("-?[0-9]{1,20}");

    private final JsonParser parser;
    private final List<Problem.FieldError> errors = new ArrayList<>();

    private StrictJson(JsonParser parser) {
        this.parser = parser;
    }

    /**
     * @param json JSON text
     * @param type record type
     * @param <T>  record type
     * @return the bound record
     * @throws ProblemException 400 listing every field that does not fit, or a malformed-JSON 400
     * @throws JsonException    when the text is not JSON
     */
    static <T extends Record> T bind(String json, Class<T> type) {
        try (JsonParser parser = PARSERS.createParser(new StringReader(json))) {
            StrictJson binder = new StrictJson(parser);
            if (!parser.hasNext() || parser.next() != JsonParser.Event.START_OBJECT) {
                throw Json.malformed("The body must be a JSON object.");
            }
            Object value = binder.record(type, "");
            if (parser.hasNext()) {
                throw Json.malformed("The body must hold one JSON object and nothing after it.");
            }
            if (!binder.errors.isEmpty()) {
                throw ProblemException.validation(binder.errors);
            }
            return type.cast(value);
        }
    }

    // the parser is on the value's first event
    private Object value(Type type, String path) {
        JsonParser.Event event = parser.currentEvent();
        Class<?> raw = raw(type);
        if (event == JsonParser.Event.VALUE_NULL) {
            if (raw.isPrimitive()) {
                return invalid(path, "must not be null");
            }
            return null;
        }
        if (raw == String.class) {
            return event == JsonParser.Event.VALUE_STRING ? text(parser.getString(), path) : invalid(path, "must be a string");
        }
        if (raw == Integer.class || raw == int.class) {
            return whole(path, "-2147483648 to 2147483647", true);
        }
        if (raw == Long.class || raw == long.class) {
            return whole(path, "-9223372036854775808 to 9223372036854775807", false);
        }
        if (raw == BigDecimal.class) {
            return event == JsonParser.Event.VALUE_NUMBER ? decimal(path) : invalid(path, "must be a number");
        }
        if (raw == Boolean.class || raw == boolean.class) {
            return switch (event) {
                case VALUE_TRUE -> Boolean.TRUE;
                case VALUE_FALSE -> Boolean.FALSE;
                default -> invalid(path, "must be true or false");
            };
        }
        if (raw.isEnum()) {
            return constant(raw, path);
        }
        if (raw == List.class || raw == Set.class || raw == Collection.class) {
            if (event != JsonParser.Event.START_ARRAY) {
                return invalid(path, "must be an array");
            }
            List<Object> elements = elements(((ParameterizedType) type).getActualTypeArguments()[0], path);
            return raw == Set.class ? Collections.unmodifiableSet(new LinkedHashSet<>(elements)) : elements;
        }
        if (raw.isRecord()) {
            return event == JsonParser.Event.START_OBJECT ? record(raw, path) : invalid(path, "must be an object");
        }
        throw new IllegalArgumentException("No strict JSON binding for " + type + " at " + path);
    }

    private Object record(Class<?> type, String path) {
        RecordComponent[] components = type.getRecordComponents();
        Object[] args = new Object[components.length];
        boolean[] given = new boolean[components.length];
        Set<String> seen = new HashSet<>();
        int errorsBefore = errors.size();
        while (parser.next() != JsonParser.Event.END_OBJECT) {
            String name = parser.getString();
            String field = path.isEmpty() ? name : path + "." + name;
            parser.next();
            int index = indexOf(components, name);
            if (!seen.add(name)) {
                invalid(field, "appears more than once");
            } else if (index < 0) {
                invalid(field, "unknown field");
            } else {
                args[index] = value(components[index].getGenericType(), field);
                given[index] = true;
            }
        }
        for (int i = 0; i < components.length; i++) {
            if (!given[i] && components[i].getType().isPrimitive()) {
                invalid(path.isEmpty() ? components[i].getName() : path + "." + components[i].getName(), "is required");
            }
        }
        return errors.size() == errorsBefore ? construct(type, components, args) : null;
    }

    private List<Object> elements(Type elementType, String path) {
        List<Object> elements = new ArrayList<>();
        while (parser.next() != JsonParser.Event.END_ARRAY) {
            elements.add(value(elementType, path + "[" + elements.size() + "]"));
        }
        // JSON nulls stay as elements: the record's validation names them
        return Collections.unmodifiableList(elements);
    }

    private Object whole(String path, String range, boolean isInt) {
        String message = "must be a whole number from " + range;
        if (parser.currentEvent() != JsonParser.Event.VALUE_NUMBER || !WHOLE.matcher(parser.getString()).matches()) {
            return invalid(path, message);
        }
        try {
            BigDecimal number = parser.getBigDecimal();
            return isInt ? (Object) number.intValueExact() : (Object) number.longValueExact();
        } catch (ArithmeticException e) {
            return invalid(path, message);
        }
    }

    // the parser itself refuses longer numbers, with an exception that is not a JsonException
    private Object decimal(String path) {
        if (parser.getString().length() > MAX_NUMBER_LENGTH) {
            return invalid(path, "must be a number of at most " + MAX_NUMBER_LENGTH + " characters");
        }
        return parser.getBigDecimal();
    }

    private Object constant(Class<?> type, String path) {
        Object[] constants = type.getEnumConstants();
        if (parser.currentEvent() == JsonParser.Event.VALUE_STRING) {
            String name = parser.getString();
            for (Object constant : constants) {
                if (((Enum<?>) constant).name().equals(name)) {
                    return constant;
                }
            }
        }
        return invalid(path, "must be one of " + Arrays.stream(constants).map(String::valueOf).collect(Collectors.joining(", ")));
    }

    private String text(String value, String path) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r') {
                invalid(path, "must not contain control characters");
                return null;
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                invalid(path, "must not contain unpaired surrogates");
                return null;
            }
        }
        return value;
    }

    // records the error and skips what is left of the value, so the rest of the body is still checked
    private Object invalid(String path, String message) {
        errors.add(new Problem.FieldError(path, message));
        JsonParser.Event event = parser.currentEvent();
        if (event == JsonParser.Event.START_OBJECT || event == JsonParser.Event.START_ARRAY) {
            skipRestOfValue();
        }
        return null;
    }

    // Not the parser's skipObject/skipArray: Parsson's loop forever at the end of a body cut off inside the value
    // ({"x":[ pinned a thread at full CPU). next() refuses the end of the text as malformed JSON instead.
    private void skipRestOfValue() {
        int depth = 1;
        while (depth > 0) {
            switch (parser.next()) {
                case START_OBJECT, START_ARRAY -> depth++;
                case END_OBJECT, END_ARRAY -> depth--;
                default -> {
                    // a key or a scalar inside the value
                }
            }
        }
    }

    private static int indexOf(RecordComponent[] components, String name) {
        for (int i = 0; i < components.length; i++) {
            if (components[i].getName().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static Object construct(Class<?> type, RecordComponent[] components, Object[] args) {
        Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
        try {
            Constructor<?> constructor = type.getDeclaredConstructor(types);
            constructor.setAccessible(true);
            return constructor.newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot construct " + type.getName(), e);
        }
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        throw new IllegalArgumentException("No strict JSON binding for " + type);
    }
}
