// The fault proxy's parsers, where a mistake would make a fault test pass for the wrong reason:
// HTTP framing (when is "the complete response" in?), the plan, and the loopback-only rule.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <string>

#include "behaviours.hpp"
#include "fault_plan.hpp"
#include "http_framing.hpp"
#include "net.hpp"

using namespace doorstep::fault;
using State = Framing::State;

TEST_CASE("a Content-Length response is complete only with its whole body") {
    const std::string response = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
    for (size_t length = 0; length < response.size(); ++length) {
        CHECK(FrameMessage(response.substr(0, length), MessageKind::Response).Is ==
              State::Incomplete);
    }
    Framing framing = FrameMessage(response + "HTTP/1.1 next", MessageKind::Response);
    CHECK(framing.Is == State::Complete);
    CHECK(framing.End == response.size());
    CHECK(framing.StatusCode == 200);
}

TEST_CASE("a chunked response ends after the last chunk and its trailers") {
    const std::string head = "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n";
    const std::string body = "5;ext=1\r\nhello\r\n0\r\nX-Trailer: 1\r\n\r\n";
    CHECK(FrameMessage(head + body.substr(0, body.size() - 1), MessageKind::Response).Is ==
          State::Incomplete);
    Framing framing = FrameMessage(head + body, MessageKind::Response);
    CHECK(framing.Is == State::Complete);
    CHECK(framing.End == head.size() + body.size());
    CHECK(FrameMessage(head + "zz\r\n", MessageKind::Response).Is == State::Malformed);
    CHECK(FrameMessage(head + "5\r\nhelloXX", MessageKind::Response).Is == State::Malformed);
}

TEST_CASE("responses without a body end with their headers") {
    const std::string interim = "HTTP/1.1 100 Continue\r\n\r\n";
    Framing framing = FrameMessage(interim + "HTTP/1.1 200 OK\r\n", MessageKind::Response);
    CHECK(framing.Is == State::Complete);
    CHECK(framing.End == interim.size());
    CHECK(IsInterim(framing.StatusCode));
    const std::string no_content = "HTTP/1.1 204 No Content\r\nContent-Length: 9\r\n\r\n";
    CHECK(FrameMessage(no_content, MessageKind::Response).End == no_content.size());
    const std::string head_answer = "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n";
    CHECK(FrameMessage(head_answer, MessageKind::Response, true).Is == State::Complete);
    CHECK(FrameMessage(head_answer, MessageKind::Response, false).Is == State::Incomplete);
}

TEST_CASE("a response without length lasts until the server closes; garbage is malformed") {
    CHECK(FrameMessage("HTTP/1.0 200 OK\r\n\r\nbody", MessageKind::Response).Is ==
          State::UntilClose);
    CHECK(FrameMessage("SSH-2.0-x\r\n\r\n", MessageKind::Response).Is == State::Malformed);
    CHECK(FrameMessage("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", MessageKind::Response).Is ==
          State::Malformed);
    CHECK(FrameMessage(std::string(70000, 'x'), MessageKind::Response).Is == State::Malformed);
}

TEST_CASE("requests: no length means no body; Expect and HEAD are noticed") {
    Framing get = FrameMessage("GET / HTTP/1.1\r\nHost: a\r\n\r\n", MessageKind::Request);
    CHECK(get.Is == State::Complete);
    Framing post =
        FrameMessage("POST /v1 HTTP/1.1\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n",
                     MessageKind::Request);
    CHECK(post.Is == State::Incomplete);
    CHECK(post.HeaderEnd > 0);
    CHECK(post.ExpectContinue);
    CHECK(FrameMessage("HEAD / HTTP/1.1\r\n\r\n", MessageKind::Request).IsHead);
}

TEST_CASE("plans parse every documented form and name what is wrong") {
    std::string error;
    std::optional<Plan> plan = Plan::Parse(
        "pass,drop_response,reset,reset_mid_response,stall:5,trickle:10,latency:1,latency:1:2,"
        "bandwidth:9,close_after_up:0,close_after_down:10,status:503,status:429:7",
        error);
    REQUIRE_MESSAGE(plan, error);
    std::mt19937_64 random(1);
    CHECK(plan->Next(random).Kind == BehaviourKind::Pass);
    CHECK(plan->Next(random).Kind == BehaviourKind::DropResponse);

    std::optional<Behaviour> status = ParseBehaviour("status:429:7", error);
    REQUIRE(status);
    CHECK(status->StatusCode == 429);
    CHECK(status->RetryAfterSeconds == 7);
    CHECK(ParseBehaviour("status:503", error)->RetryAfterSeconds == -1);

    for (const char* bad : {"", "pass,", "nope", "stall", "stall:-1", "stall:1:2", "trickle:0",
                            "status:99", "status:600", "latency:1:2:3", "pass|reset",
                            "random:", "random:pass|bogus", "close_after_up:x"}) {
        CAPTURE(bad);
        error.clear();
        CHECK_FALSE(Plan::Parse(bad, error));
        CHECK_FALSE(error.empty());
    }
}

TEST_CASE("the plan cycles, and random: entries follow the seed") {
    std::string error;
    auto picks = [&](uint64_t seed) {
        std::optional<Plan> plan = Plan::Parse("random:pass|reset|stall:1,status:500", error);
        std::mt19937_64 random(seed);
        std::string sequence;
        for (int index = 0; index < 40; ++index) {
            sequence += plan->Next(random).Spec + " ";
        }
        return sequence;
    };
    CHECK(picks(5) == picks(5));
    CHECK(picks(5) != picks(6));
    const std::string sequence = picks(5);
    CHECK(sequence.find("pass") != std::string::npos);
    CHECK(sequence.find("reset") != std::string::npos);
    CHECK(sequence.find("stall:1") != std::string::npos);
}

TEST_CASE("only loopback endpoints are accepted") {
    std::string error;
    std::optional<Endpoint> endpoint = ParseLoopbackEndpoint("127.0.0.1:0", error);
    REQUIRE(endpoint);
    CHECK(endpoint->Port == 0);
    CHECK(ParseLoopbackEndpoint("localhost:8080", error)->ToString() == "127.0.0.1:8080");
    CHECK(ParseLoopbackEndpoint("127.1.2.3:1", error));
    for (const char* bad : {"10.0.0.1:80", "0.0.0.0:80", "8.8.8.8:53", "example.com:80", "[::1]:80",
                            "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:http"}) {
        CAPTURE(bad);
        CHECK_FALSE(ParseLoopbackEndpoint(bad, error));
    }
}

TEST_CASE("the injected status answer is a complete, closing HTTP response") {
    std::string response = InjectedStatusResponse(503, 7);
    Framing framing = FrameMessage(response, MessageKind::Response);
    CHECK(framing.Is == State::Complete);
    CHECK(framing.End == response.size());
    CHECK(framing.StatusCode == 503);
    CHECK(response.find("\r\nRetry-After: 7\r\n") != std::string::npos);
    CHECK(response.find("\r\nConnection: close\r\n") != std::string::npos);
    CHECK(InjectedStatusResponse(500, -1).find("Retry-After") == std::string::npos);
}
