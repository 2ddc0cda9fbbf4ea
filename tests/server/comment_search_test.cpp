// The comments report's word search over 1,200 answers, on either backend: which answers match,
// newest first, pages past the count, and the count stopped at kMaxCountedMatches. PostgreSQL
// walks the newest answers before it asks its word index (pg_server_comments.cpp): every case is
// run with walks short and long enough to take each of its paths.
#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

#include "server/store/postgres/pg_server_store.hpp"
#include "store_fixtures.hpp"
#include "test_database.hpp"

namespace doorstep::server {

using testing::TestDatabase;

TEST_CASE("comment search: newest first, the count stopped at 1,000, every path the same") {
    TestDatabase db;
    std::unique_ptr<ServerStore> store = db.Open();
    constexpr int64_t kNow = 1'795'549'384'722;
    std::string device = testing::EnrollDevice(*store, "lisbon", "checkout", kNow);
    for (int64_t first = 1; first <= 1200; first += 200) {
        REQUIRE(store->StoreBatch(device, testing::SampleItems(first, 200), kNow).Ok());
    }
    // Answer n says "comment n". Each case's page and count, whatever the walk's length: the walk
    // alone, the walk then the index for the rest of the count, or the index alone.
    struct Case {
        std::string Words;
        int64_t Offset;
        int64_t Limit;
        int64_t Total;
        std::string FirstText;
    };
    const Case cases[] = {
        {"comment", 0, 50, 1000, "comment 1200"},     // every answer: the count stops at 1,000
        {"comment", 990, 20, 1000, "comment 210"},    // past the counted matches
        {"comment 11", 0, 5, 111, "comment 1199"},    // 11, 110-119, 1100-1199
        {"comment 11", 100, 20, 111, "comment 119"},  // the page ends in older answers
        {"comment 12", 0, 50, 12, "comment 1200"},    // 12, 120-129, 1200
        {"comment 5", 0, 50, 111, "comment 599"},     // none among the newest 600
        {"zebra", 0, 50, 0, ""},
    };
    // PostgreSQL walks the newest answers before it asks its word index: walks of every length.
    auto* postgres = dynamic_cast<PgServerStore*>(store.get());
    std::vector<int64_t> walks = {PgServerStore::kDefaultSearchWalk};
    if (postgres != nullptr) {
        walks.insert(walks.end(), {1, 10, 150});
    }
    for (int64_t walk : walks) {
        if (postgres != nullptr) {
            postgres->SetSearchWalk(walk);
        }
        for (const Case& c : cases) {
            CAPTURE(walk);
            CAPTURE(c.Words);
            CAPTURE(c.Offset);
            ReportFilter filter;
            filter.FromDay = 0;
            filter.ToDay = 100'000;
            filter.Kind.reset();
            filter.IncludeSuspect = true;
            filter.CommentSearch = c.Words;
            filter.Offset = c.Offset;
            filter.Limit = c.Limit;
            Result<CommentPage> page = store->ListComments(filter);
            REQUIRE(page.Ok());
            CHECK(page->Total == c.Total);
            CHECK(page->TotalCapped == (c.Total == kMaxCountedMatches));
            const int64_t shown = std::clamp<int64_t>(c.Total - c.Offset, 0, c.Limit);
            if (c.Total < kMaxCountedMatches) {
                CHECK(static_cast<int64_t>(page->Rows.size()) == shown);
            }
            if (!c.FirstText.empty()) {
                REQUIRE_FALSE(page->Rows.empty());
                CHECK(page->Rows.front().Text == c.FirstText);
                for (size_t i = 1; i < page->Rows.size(); ++i) {  // newest first
                    CHECK(page->Rows[i].StartedAtMs < page->Rows[i - 1].StartedAtMs);
                }
            }
        }
    }
}

}  // namespace doorstep::server
