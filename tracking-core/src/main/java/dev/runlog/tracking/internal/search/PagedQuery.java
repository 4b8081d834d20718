package dev.runlog.tracking.internal.search;

import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.ViewType;
import dev.runlog.tracking.spi.InputRules;
import dev.runlog.tracking.spi.Sha256;
import dev.runlog.tracking.spi.SearchCursor;
import dev.runlog.tracking.spi.SearchFilter;
import dev.runlog.tracking.spi.SearchOrder;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * What run and experiment searches share: options, parsing, keyset paging with tokens, and reading
 * every page. Subclasses say how to fetch a page from the store and where a row stands in the order.
 *
 * @param <T> the row type
 */
abstract class PagedQuery<T> {
    static final int DEFAULT_MAX_RESULTS = 1_000;
    static final int MAX_RESULTS_LIMIT = 50_000;
    /**
     * The page a stream reads at a time, which the caller never sees. Larger pages cost fewer
     * queries, but a page is live until the next one is read: 10,000 runs made the young collections
     * of a 100,000-run CSV export copy tens of megabytes each (a third of its time in GC under a
     * 256 MB heap), where 1,000 cost a few more cheap keyset queries.
     */
    static final int STREAM_PAGE = 1_000;

    private final FilterParser.Target target;
    private final SearchOrder defaultOrder;
    private String filterText;
    private List<String> orderClauses = List.of();
    private int maxResults = DEFAULT_MAX_RESULTS;
    private String pageToken;
    ViewType viewType = ViewType.ACTIVE_ONLY;

    PagedQuery(FilterParser.Target target, SearchOrder defaultOrder) {
        this.target = target;
        this.defaultOrder = defaultOrder;
    }

    /** One page of rows matching {@code filter} after {@code after}, at most {@code limit}. */
    abstract List<T> fetch(SearchFilter filter, List<SearchOrder> order, int limit, Optional<SearchCursor> after);

    /** The row's sort values under {@code order}, and its id. */
    abstract Ordering.Position position(T row, List<SearchOrder> order);

    /** What else defines the query, for the token fingerprint (the experiments searched, say). */
    abstract String scope();

    void setFilter(String filter) {
        this.filterText = filter;
    }

    void setOrder(String... clauses) {
        for (String clause : InputRules.notNull("order-by clauses", clauses)) {
            if (clause == null) {
                throw new InvalidInputException("an order-by clause must not be null");
            }
        }
        if (clauses.length > FilterParser.MAX_ORDER_CLAUSES) {
            throw new dev.runlog.tracking.InvalidFilterException(String.join(", ", clauses), 1, clauses.length
                    + " order-by clauses; a search orders by at most " + FilterParser.MAX_ORDER_CLAUSES);
        }
        this.orderClauses = List.of(clauses);
    }

    void setMaxResults(int maxResults) {
        if (maxResults < 1 || maxResults > MAX_RESULTS_LIMIT) {
            throw new InvalidInputException("maxResults must be between 1 and " + MAX_RESULTS_LIMIT + ", got " + maxResults);
        }
        this.maxResults = maxResults;
    }

    void setPageToken(String pageToken) {
        // An empty token is the first page, as MLflow's clients send it (and as a blank form field reads).
        this.pageToken = pageToken == null || pageToken.isEmpty() ? null : pageToken;
    }

    void setViewType(ViewType viewType) {
        if (viewType == null) {
            throw new InvalidInputException("viewType must not be null");
        }
        this.viewType = viewType;
    }

    record Page<T>(List<T> rows, Optional<String> nextPageToken) {
    }

    /** The options parsed and checked: what every page of this query shares. */
    private record Prepared(SearchFilter filter, List<SearchOrder> order, String fingerprint, Optional<SearchCursor> start) {
    }

    private Prepared prepare() {
        SearchFilter filter = FilterParser.parseFilter(filterText, target);
        List<SearchOrder> order = order();
        String fingerprint = fingerprint();
        Optional<SearchCursor> start = pageToken == null ? Optional.empty()
                : Optional.of(PageTokens.decode(pageToken, fingerprint, order).toCursor());
        return new Prepared(filter, order, fingerprint, start);
    }

    Page<T> fetchPage() {
        Prepared query = prepare();
        List<T> rows = new ArrayList<>(fetch(query.filter(), query.order(), maxResults + 1, query.start()));
        if (rows.size() <= maxResults) {
            return new Page<>(rows, Optional.empty());
        }
        rows = rows.subList(0, maxResults);
        String next = PageTokens.encode(position(rows.get(rows.size() - 1), query.order()), query.fingerprint());
        return new Page<>(List.copyOf(rows), Optional.of(next));
    }

    Stream<T> streamAll() {
        Prepared query = prepare();
        SearchFilter filter = query.filter();
        List<SearchOrder> order = query.order();
        Optional<SearchCursor> start = query.start();
        Iterator<T> rows = new Iterator<>() {
            private Iterator<T> current = List.<T>of().iterator();
            private Optional<SearchCursor> after = start;
            private boolean more = true;

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && more) {
                    int pageSize = Math.max(maxResults, STREAM_PAGE);
                    List<T> page = fetch(filter, order, pageSize, after);
                    // At least a full page: a store that returns more than asked (a breach of its
                    // contract, which the kit checks) must not end the stream with rows unread.
                    more = page.size() >= pageSize;
                    if (!page.isEmpty()) {
                        after = Optional.of(position(page.get(page.size() - 1), order).toCursor());
                    }
                    current = page.iterator();
                }
                return current.hasNext();
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return current.next();
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(rows, Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    List<SearchOrder> order() {
        if (orderClauses.isEmpty()) {
            return List.of(defaultOrder);
        }
        List<SearchOrder> order = new ArrayList<>();
        for (String clause : orderClauses) {
            order.add(FilterParser.parseOrder(clause, target));
        }
        return order;
    }

    private String fingerprint() {
        String query = target + "\n" + scope() + "\n" + filterText + "\n" + orderClauses + "\n" + viewType;
        return Sha256.of(query).substring(0, 16);
    }
}
