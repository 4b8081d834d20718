package dev.runlog.tracking.internal.flavors;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectStreamConstants;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Lists every class a Java serialization stream names, by walking the stream grammar of the Java
 * Object Serialization Specification (chapter 6) without loading, resolving or instantiating
 * anything: the walk only reads bytes, so a hostile stream cannot run code through it. It is how a
 * refusal names all the classes a model needs at once, where the JDK's filtered read stops at the
 * first one.
 *
 * <p>Class descriptors are collected wherever they appear: objects, their superclasses, arrays,
 * enums, class literals, the values of fields, the data a custom {@code writeObject} wrote, and the
 * annotations of class descriptors. Proxy descriptors contribute their interface names. A stream
 * the walk cannot follow to its end (an {@code Externalizable} written with the old protocol 1, a
 * malformed or truncated stream, a nesting deeper than {@link #MAX_DEPTH}) gives what was found up
 * to there, marked incomplete.
 */
final class SerialStreamClasses implements ObjectStreamConstants {
    /** Deeper nesting than any model needs; a bound keeps a hostile stream from exhausting the stack. */
    static final int MAX_DEPTH = 1000;

    /**
     * What a walk found.
     *
     * @param classNames      binary names of the classes described, in stream order, each once
     *                        ({@code [I}, {@code [Lfoo.Bar;} for arrays)
     * @param incompleteAfter why the walk stopped early, or null when it read the whole object
     */
    record Result(List<String> classNames, String incompleteAfter) {
        boolean complete() {
            return incompleteAfter == null;
        }
    }

    /** A class descriptor: what its instances' data holds. */
    private static final class Desc {
        String name; // null for a proxy
        byte flags;
        int primitiveBytes;
        int objectFields;
        Desc superDesc;
    }

    /** Stops the walk: the stream is malformed or beyond what the walk follows. */
    private static final class Stop extends Exception {
        private static final long serialVersionUID = 1L;

        Stop(String reason) {
            super(reason, null, false, false);
        }
    }

    private static final Object OTHER = new Object();

    private final DataInputStream in;
    private final Set<String> names = new LinkedHashSet<>();
    private final List<Object> handles = new ArrayList<>();

    private SerialStreamClasses(InputStream in) {
        this.in = new DataInputStream(in);
    }

    /** Walks the first object of a serialization stream (its header included). */
    static Result scan(InputStream stream) {
        SerialStreamClasses walk = new SerialStreamClasses(stream);
        String stopped = null;
        try {
            if (walk.in.readShort() != STREAM_MAGIC || walk.in.readShort() != STREAM_VERSION) {
                throw new Stop("a header that is not a serialization stream's");
            }
            walk.object(walk.tag(), 0);
        } catch (Stop e) {
            stopped = e.getMessage();
        } catch (EOFException e) {
            stopped = "the end of the file, which came early";
        } catch (IOException e) {
            stopped = "a read error (" + e.getMessage() + ")";
        }
        return new Result(List.copyOf(walk.names), stopped);
    }

    /** The next type code, after any resets. */
    private byte tag() throws IOException {
        byte tc = in.readByte();
        while (tc == TC_RESET) {
            handles.clear();
            tc = in.readByte();
        }
        return tc;
    }

    private int newHandle(Object value) {
        handles.add(value);
        return handles.size() - 1;
    }

    private Object handle() throws IOException, Stop {
        int index = in.readInt() - baseWireHandle;
        if (index < 0 || index >= handles.size()) {
            throw new Stop("a reference to an unknown handle");
        }
        return handles.get(index);
    }

    /** One object, whose type code {@code tc} was just read. */
    private void object(byte tc, int depth) throws IOException, Stop {
        if (depth > MAX_DEPTH) {
            throw new Stop("nesting deeper than " + MAX_DEPTH);
        }
        switch (tc) {
            case TC_NULL -> { }
            case TC_REFERENCE -> handle();
            case TC_CLASSDESC, TC_PROXYCLASSDESC -> classDesc(tc, depth);
            case TC_CLASS -> {
                classDesc(tag(), depth);
                newHandle(OTHER);
            }
            case TC_STRING -> {
                newHandle(OTHER);
                in.skipNBytes(in.readUnsignedShort());
            }
            case TC_LONGSTRING -> {
                newHandle(OTHER);
                skip(in.readLong());
            }
            case TC_ENUM -> {
                classDesc(tag(), depth);
                newHandle(OTHER);
                object(tag(), depth + 1);
            }
            case TC_ARRAY -> array(depth);
            case TC_OBJECT -> {
                Desc desc = classDesc(tag(), depth);
                newHandle(OTHER);
                classData(desc, depth);
            }
            case TC_EXCEPTION -> {
                handles.clear();
                object(tag(), depth + 1);
                handles.clear();
            }
            default -> throw new Stop(String.format("type code 0x%02x where an object belongs", tc));
        }
    }

    /** A class descriptor (new, a reference to one, or null), whose type code {@code tc} was just read. */
    private Desc classDesc(byte tc, int depth) throws IOException, Stop {
        switch (tc) {
            case TC_NULL:
                return null;
            case TC_REFERENCE:
                if (handle() instanceof Desc desc) {
                    return desc;
                }
                throw new Stop("a reference to something other than a class descriptor");
            case TC_CLASSDESC: {
                Desc desc = new Desc();
                desc.name = in.readUTF();
                names.add(desc.name);
                in.readLong(); // serialVersionUID
                newHandle(desc);
                desc.flags = in.readByte();
                int fields = in.readShort();
                for (int i = 0; i < fields; i++) {
                    char type = (char) in.readByte();
                    in.readUTF(); // field name
                    if (type == 'L' || type == '[') {
                        desc.objectFields++;
                        object(tag(), depth + 1); // the field's type signature, a string
                    } else {
                        desc.primitiveBytes += primitiveSize(type);
                    }
                }
                contents(depth + 1); // class annotation
                desc.superDesc = classDesc(tag(), depth + 1);
                return desc;
            }
            case TC_PROXYCLASSDESC: {
                Desc desc = new Desc();
                desc.flags = SC_SERIALIZABLE;
                newHandle(desc);
                int interfaces = in.readInt();
                if (interfaces < 0 || interfaces > 65_535) {
                    throw new Stop("a proxy with " + interfaces + " interfaces");
                }
                for (int i = 0; i < interfaces; i++) {
                    names.add(in.readUTF());
                }
                contents(depth + 1);
                desc.superDesc = classDesc(tag(), depth + 1);
                return desc;
            }
            default:
                throw new Stop(String.format("type code 0x%02x where a class descriptor belongs", tc));
        }
    }

    private void array(int depth) throws IOException, Stop {
        Desc desc = classDesc(tag(), depth);
        newHandle(OTHER);
        int length = in.readInt();
        if (desc == null || desc.name == null || !desc.name.startsWith("[") || length < 0) {
            throw new Stop("an array without an array class or with a negative length");
        }
        char element = desc.name.length() > 1 ? desc.name.charAt(1) : '?';
        if (element == 'L' || element == '[') {
            for (int i = 0; i < length; i++) {
                object(tag(), depth + 1);
            }
        } else {
            skip((long) length * primitiveSize(element));
        }
    }

    /** The instance data of every serializable class of {@code desc}'s hierarchy, superclasses first. */
    private void classData(Desc desc, int depth) throws IOException, Stop {
        List<Desc> hierarchy = new ArrayList<>();
        for (Desc d = desc; d != null; d = d.superDesc) {
            if (hierarchy.size() > MAX_DEPTH) {
                throw new Stop("a class hierarchy deeper than " + MAX_DEPTH);
            }
            hierarchy.add(0, d);
        }
        for (Desc d : hierarchy) {
            if ((d.flags & SC_EXTERNALIZABLE) != 0) {
                if ((d.flags & SC_BLOCK_DATA) == 0) {
                    throw new Stop("an Externalizable written with the old stream protocol 1");
                }
                contents(depth + 1);
            } else if ((d.flags & SC_SERIALIZABLE) != 0) {
                // The stream holds a class's primitive field values first, then its object fields.
                skip(d.primitiveBytes);
                for (int i = 0; i < d.objectFields; i++) {
                    object(tag(), depth + 1);
                }
                if ((d.flags & SC_WRITE_METHOD) != 0) {
                    contents(depth + 1); // what writeObject wrote after (or instead of) its fields
                }
            }
        }
    }

    /** Block data and objects up to the end-of-block marker: annotations and custom writeObject data. */
    private void contents(int depth) throws IOException, Stop {
        while (true) {
            byte tc = tag();
            switch (tc) {
                case TC_ENDBLOCKDATA:
                    return;
                case TC_BLOCKDATA:
                    in.skipNBytes(in.readUnsignedByte());
                    break;
                case TC_BLOCKDATALONG:
                    skip(in.readInt());
                    break;
                default:
                    object(tc, depth);
            }
        }
    }

    private void skip(long bytes) throws IOException, Stop {
        if (bytes < 0) {
            throw new Stop("a negative length");
        }
        in.skipNBytes(bytes);
    }

    private static int primitiveSize(char type) throws Stop {
        return switch (type) {
            case 'B', 'Z' -> 1;
            case 'C', 'S' -> 2;
            case 'I', 'F' -> 4;
            case 'J', 'D' -> 8;
            default -> throw new Stop("unknown field type code '" + type + "'");
        };
    }
}
