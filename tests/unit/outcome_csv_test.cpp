// The outcomes import's reader: a good file in full, and every kind of bad row named with its
// line and reason, with nothing taken from a file that has one.
#include <doctest/doctest.h>

#include <string>

#include "server/linkage/outcome_csv.hpp"
#include "server/store/report_filter.hpp"

using namespace doorstep::server;

namespace {

const int64_t kToday = *IsoDateToDay("2026-12-07");

bool Known(std::string_view store) {
    return store == "ST-001" || store == "ST-002";
}

std::vector<std::string> Problems(const OutcomeFile& file) {
    std::vector<std::string> described;
    for (const LineProblem& problem : file.Problems.Listed) {
        described.push_back(problem.Describe());
    }
    return described;
}

}  // namespace

TEST_CASE("outcomes csv: a good file, standard and named metrics, empty cells") {
    OutcomeFile file = ReadOutcomeCsv(
        "store,date,sales,transactions,footfall,nps_mail\r\n"
        "ST-001,2026-03-02,10234.50,412,1830,\r\n"
        "ST-002,2026-03-02,,98,,-3.5\r\n"
        "\r\n"
        "ST-001,2026-03-03,0,0,0,7\r\n",
        Known, kToday);
    REQUIRE(file.Ok());
    CHECK(file.Rows == 3);
    CHECK(file.Metrics ==
          std::vector<std::string>{"sales", "transactions", "footfall", "nps_mail"});
    REQUIRE(file.Values.size() == 9);
    CHECK(file.Values[0].Store == "ST-001");
    CHECK(file.Values[0].Day == *IsoDateToDay("2026-03-02"));
    CHECK(file.Values[0].Metric == "sales");
    CHECK(file.Values[0].Value == 10234.5);
    CHECK(file.Values[3].Store == "ST-002");
    CHECK(file.Values[3].Metric == "transactions");
    CHECK(file.Values[4].Metric == "nps_mail");
    CHECK(file.Values[4].Value == -3.5);  // a named metric may be negative
}

TEST_CASE("outcomes csv: every refused row named, and nothing imported") {
    OutcomeFile file = ReadOutcomeCsv(
        "store,date,sales,footfall\n"
        "ST-001,2026-03-02,100,50\n"
        "ST-009,2026-03-02,100,50\n"
        "ST-001,2026-02-30,100,50\n"
        "ST-001,2027-01-01,100,50\n"
        "ST-001,1999-12-31,100,50\n"
        "ST-001,2026-03-02,120,55\n"
        "ST-002,2026-03-02,1 000,50\n"
        "ST-002,2026-03-03,-5,50\n"
        "ST-002,2026-03-04,5,50.5\n"
        "ST-002,2026-03-05,,\n"
        "ST-002,2026-03-06,5\n"
        ",2026-03-07,5,5\n"
        "ST-002,03/08/2026,5,5\n",
        Known, kToday);
    CHECK_FALSE(file.Ok());
    CHECK(file.Values.empty());
    CHECK(Problems(file) ==
          std::vector<std::string>{
              "line 3: unknown store \"ST-009\"",
              "line 4: \"2026-02-30\" is not a date as YYYY-MM-DD",
              "line 5: date 2027-01-01 is out of range (2000-01-01 to 2026-12-07)",
              "line 6: date 1999-12-31 is out of range (2000-01-01 to 2026-12-07)",
              "line 7: store \"ST-001\" on 2026-03-02 again (first on line 2)",
              "line 8: sales: \"1 000\" is not a number (digits and a point)",
              "line 9: sales: -5 is negative",
              "line 10: footfall: 50.5 is not a whole number",
              "line 11: no value for any metric",
              "line 12: 3 fields where the header has 4",
              "line 13: no store",
              "line 14: \"03/08/2026\" is not a date as YYYY-MM-DD",
          });
}

TEST_CASE("outcomes csv: the header, broken CSV and an empty file") {
    CHECK(Problems(ReadOutcomeCsv("date,store,sales\n", Known, kToday)) ==
          std::vector<std::string>{"line 1: the header must be store,date and at least one metric "
                                   "(e.g. store,date,sales,transactions,footfall)"});
    CHECK(Problems(ReadOutcomeCsv("store,date,Sales,sales,sales\n", Known, kToday)) ==
          std::vector<std::string>{
              "line 1: column 3: \"Sales\" is not a metric name (a-z, 0-9 and _, starting with a "
              "letter, up to 40)",
              "line 1: column 5: metric \"sales\" appears twice"});
    // A quoted line break makes a record span lines; the problem after it is on its own line.
    OutcomeFile broken = ReadOutcomeCsv(
        "store,date,sales\n\"ST-\n001\",2026-03-02,5\nST-001,"
        "2026-03-03,\"5\"x\n",
        Known, kToday);
    CHECK(Problems(broken) ==
          std::vector<std::string>{"line 2: unknown store \"ST-\n001\"",
                                   "line 4: not CSV: text after a closing double quote"});
    CHECK(Problems(ReadOutcomeCsv("", Known, kToday)) ==
          std::vector<std::string>{
              "line 1: the file is empty: a header store,date,<metric>... is needed"});
}

TEST_CASE("outcomes csv: problems beyond the first hundred are counted") {
    std::string text = "store,date,sales\n";
    for (int i = 0; i < 150; ++i) {
        text += "nowhere,2026-03-02,1\n";
    }
    OutcomeFile file = ReadOutcomeCsv(text, Known, kToday);
    CHECK(file.Problems.Listed.size() == kMaxLineProblems);
    CHECK(file.Problems.More == 50);
}
