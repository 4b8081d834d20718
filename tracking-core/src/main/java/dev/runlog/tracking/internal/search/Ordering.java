package dev.runlog.tracking.internal.search;

import dev.runlog.tracking.spi.SearchCursor;
import dev.runlog.tracking.spi.SearchOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The order of search results, over each row's sort values (see {@link SearchCursor}): key by key,
 * a present value before NaN before a missing one whatever the direction, then the value in the
 * key's direction; ties broken by id in the direction of the last key, so the order is total and
 * a cursor names one position in it.
 */
final class Ordering {
    private Ordering() {
    }

    /** A row's place in the order: its sort values and its id. */
    public record Position(List<Object> values, String id) {
        public SearchCursor toCursor() {
            return new SearchCursor(values, id);
        }

        public static Position of(SearchCursor cursor) {
            return new Position(cursor.values(), cursor.id());
        }
    }

    public static Comparator<Position> comparator(List<SearchOrder> orderBy, boolean numericIds) {
        return (a, b) -> compare(orderBy, a, b, numericIds);
    }

    public static int compare(List<SearchOrder> orderBy, Position a, Position b, boolean numericIds) {
        for (int i = 0; i < orderBy.size(); i++) {
            Object x = a.values().get(i);
            Object y = b.values().get(i);
            int byClass = Integer.compare(rank(x), rank(y));
            if (byClass != 0) {
                return byClass;
            }
            if (rank(x) == 0) {
                // Adding 0.0 turns -0.0 into 0.0: SQL compares them equal, and so must every store.
                int c = x instanceof Double dx ? Double.compare(dx + 0.0, (Double) y + 0.0)
                        : compareCodePoints((String) x, (String) y);
                if (c != 0) {
                    return orderBy.get(i).ascending() ? c : -c;
                }
            }
        }
        int byId = numericIds ? compareNumericIds(a.id(), b.id()) : compareCodePoints(a.id(), b.id());
        return orderBy.get(orderBy.size() - 1).ascending() ? byId : -byId;
    }

    /**
     * Strings in code point order, which is the byte order of their UTF-8 and so SQL's BINARY
     * collation; String.compareTo compares UTF-16 units and differs beyond the BMP.
     */
    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    private static int rank(Object value) {
        return SearchOrder.rank(value);
    }

    private static int compareNumericIds(String a, String b) {
        try {
            return Long.compare(Long.parseLong(a), Long.parseLong(b));
        } catch (NumberFormatException e) {
            return a.compareTo(b);
        }
    }

    /** The sort values of a row, one per order key. */
    public static List<Object> values(List<SearchOrder> orderBy, java.util.function.Function<SearchOrder, Object> valueOf) {
        List<Object> values = new ArrayList<>(orderBy.size());
        for (SearchOrder order : orderBy) {
            values.add(valueOf.apply(order));
        }
        return values;
    }
}
