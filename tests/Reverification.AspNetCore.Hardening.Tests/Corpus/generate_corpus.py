#!/usr/bin/env python3
"""Generates the adversarial claim corpus (*.json next to this script, except fuzz-findings.json).

fuzz-findings.json holds inputs from the afl-fuzz queues (fuzz/run.sh) that the readers refuse, exported with
  dotnet fuzz/bin/Reverification.Fuzz.dll <target> --export-corpus fuzz/findings/<target>/default/queue <out> 40

The JSON files are the data the tests run; this script only writes them, so that the corpus can be reviewed and
extended in one place. Run: python3 generate_corpus.py

Entry: {"id", "format", "level", "claims": [{"type", "value", "valueType"?, "identity"?}], "expected", "note"?}
- format: Timestamps | ClerkFva | OpenIdConnect | SupabaseAmr (the reader configured for the entry).
- level: a preset name (default "lax", the most lenient, so that a deny comes from the claims, not from the age).
- value: may hold "{now}", "{now-N}", "{now+N}": Unix seconds relative to the test's clock, and "{U+XXXX}":
  one UTF-16 code unit (for lone surrogates, which JSON text cannot carry).
- identity: "primary" (default, authenticated), "secondary" (a second authenticated identity),
  "unauthenticated" (an identity that is not authenticated).
- expected: "deny" for every adversarial entry; "pass" only in controls.json, the well-formed controls that prove
  the harness can pass (so that a deny elsewhere means something).
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
INT = "http://www.w3.org/2001/XMLSchema#integer"
INT64 = "http://www.w3.org/2001/XMLSchema#integer64"
DOUBLE = "http://www.w3.org/2001/XMLSchema#double"
JSONT = "JSON"
JSONARR = "JSON_ARRAY"
STR = "http://www.w3.org/2001/XMLSchema#string"
MAPPED_AMR = "http://schemas.microsoft.com/claims/authnmethodsreferences"
MAPPED_AUTH_TIME = "http://schemas.microsoft.com/ws/2008/06/identity/claims/authenticationinstant"

FRESH = "{now-60}"


def c(type_, value, value_type=None, identity=None):
    d = {"type": type_, "value": value}
    if value_type:
        d["valueType"] = value_type
    if identity:
        d["identity"] = identity
    return d


def digits(s, zero):
    return "".join(chr(ord(zero) + int(ch)) if ch.isdigit() else ch for ch in s)


# A fixed, realistic Unix time used inside values that cannot carry a template (it is far in the past, so even if
# it parsed it would be stale; the entries that need freshness use templates).
T = "1700000000"

# Malformed renderings of a (fresh) Unix time. Each is a string the readers must refuse.
def bad_numbers(fresh):
    """Values that are not a canonical non-negative integer Unix time. `fresh` is a template."""
    return [
        ("empty", ""),
        ("space", " "),
        ("leading-space", " " + fresh),
        ("trailing-space", fresh + " "),
        ("leading-tab", "\t" + fresh),
        ("trailing-newline", fresh + "\n"),
        ("crlf", fresh + "\r\n"),
        ("nbsp", fresh + "\u00a0"),
        ("zero-width-space", fresh + "\u200b"),
        ("nul", fresh + "\u0000"),
        ("leading-plus", "+" + fresh),
        ("negative-of-fresh", "-" + fresh),
        ("minus-zero", "-0"),
        ("plus-zero", "+0"),
        ("minus-one", "-1"),
        ("negative-day", "-86400"),
        ("leading-zero", "0" + fresh),
        ("double-zero", "00"),
        ("trailing-dot", fresh + "."),
        ("leading-dot", ".5"),
        ("two-dots", fresh + ".5.5"),
        ("ten-fraction-digits", fresh + ".1234567890"),
        ("comma-decimal", fresh + ",5"),
        ("exponent-e0", fresh + "e0"),
        ("exponent-E0", fresh + "E0"),
        ("exponent-plus", "1.7e+9"),
        ("exponent-short", "17e8"),
        ("exponent-negative", "17000000000e-1"),
        ("hex", "0x6553F100"),
        ("octal-ish", "0o14524770400"),
        ("binary-ish", "0b1"),
        ("underscore-separator", "1_700_000_000"),
        ("thousands-separator", "1,700,000,000"),
        ("NaN", "NaN"),
        ("nan", "nan"),
        ("Infinity", "Infinity"),
        ("-Infinity", "-Infinity"),
        ("inf", "inf"),
        ("infinity-symbol", "\u221e"),
        ("null", "null"),
        ("true", "true"),
        ("false", "false"),
        ("json-array", "[" + fresh + "]"),
        ("json-object", "{\"t\":" + fresh + "}"),
        ("json-string", "\"" + fresh + "\""),
        ("arabic-indic-digits", digits(T, "\u0660")),
        ("extended-arabic-indic-digits", digits(T, "\u06f0")),
        ("devanagari-digits", digits(T, "\u0966")),
        ("fullwidth-digits", digits(T, "\uff10")),
        ("mathematical-bold-digits", "".join(chr(0x1D7CE + int(ch)) for ch in T)),
        ("one-arabic-digit", T[:-1] + "\u0660"),
        ("superscript-one", "\u00b9" + T[1:]),
        ("19-nines", "9" * 19),
        ("20-digits", "1" + "0" * 19),
        ("long-max-plus-one", "9223372036854775808"),
        ("400-nines", "9" * 400),
        ("past-year-9999", "253402300800"),
        ("year-9999", "253402300799"),
        ("100k-ones", "1" * 100_000),
        ("100k-leading-zeros", "0" * 100_000 + T),
        ("deep-nested-array", "[" * 5000 + T + "]" * 5000),
        ("future-61s", "{now+61}"),
        ("future-2min", "{now+120}"),
        ("future-1h", "{now+3600}"),
        ("future-100y", "{now+3153600000}"),
        ("letters", "abc"),
        ("mixed-letters", T[:5] + "x" + T[6:]),
        ("sql-ish", T + "; DROP TABLE users"),
        ("html", "<script>" + T + "</script>"),
        ("crlf-injection", T + "\r\nX-Injected: 1"),
        ("lone-surrogate", T + "{U+D800}"),
    ]


def entry(id_, fmt, claims, level="lax", note=None, expected="deny"):
    d = {"id": id_, "format": fmt, "level": level, "claims": claims, "expected": expected}
    if note:
        d["note"] = note
    return d


def timestamps():
    out = []
    for name, v in bad_numbers(FRESH):
        out.append(entry(f"ts/f1-{name}", "Timestamps", [c("f1_verified_at", v), c("f2_verified_at", FRESH)]))
        out.append(entry(f"ts/f2-{name}", "Timestamps", [c("f1_verified_at", FRESH), c("f2_verified_at", v)]))
        out.append(entry(f"ts/f2-only-{name}", "Timestamps", [c("f2_verified_at", v)]))
    # Wrong claim value types with canonical-looking values still need a canonical value.
    out.append(entry("ts/double-valuetype-exponent", "Timestamps", [c("f2_verified_at", "1.7E+09", DOUBLE)]))
    out.append(entry("ts/json-valuetype-array", "Timestamps", [c("f2_verified_at", "[" + FRESH + "]", JSONARR)]))
    out.append(entry("ts/json-valuetype-object", "Timestamps", [c("f2_verified_at", "{\"at\":" + FRESH + "}", JSONT)]))
    # Duplicates and conflicts.
    out.append(entry("ts/duplicate-f2-identical", "Timestamps", [c("f2_verified_at", FRESH), c("f2_verified_at", FRESH)]))
    out.append(entry("ts/duplicate-f1-identical", "Timestamps", [c("f1_verified_at", FRESH), c("f1_verified_at", FRESH)]))
    out.append(entry("ts/conflicting-f2-fresh-and-stale", "Timestamps", [c("f2_verified_at", FRESH), c("f2_verified_at", "{now-172800}")]))
    out.append(entry("ts/conflicting-f2-stale-and-fresh", "Timestamps", [c("f2_verified_at", "{now-172800}"), c("f2_verified_at", FRESH)]))
    out.append(entry("ts/duplicate-f2-across-identities", "Timestamps", [c("f2_verified_at", FRESH), c("f2_verified_at", FRESH, identity="secondary")]))
    out.append(entry("ts/fresh-claims-only-on-unauthenticated-identity", "Timestamps",
                     [c("sub", "user"), c("f1_verified_at", FRESH, identity="unauthenticated"), c("f2_verified_at", FRESH, identity="unauthenticated")]))
    # Ages and times.
    out.append(entry("ts/no-claims", "Timestamps", [c("sub", "user")]))
    out.append(entry("ts/stale-both", "Timestamps", [c("f1_verified_at", "{now-172800}"), c("f2_verified_at", "{now-172800}")]))
    out.append(entry("ts/age-equals-max-age-lax", "Timestamps", [c("f2_verified_at", "{now-86400}")], note="1440 minutes fails lax (strictly less)"))
    out.append(entry("ts/age-equals-max-age-strict", "Timestamps", [c("f2_verified_at", "{now-600}")], level="strict"))
    out.append(entry("ts/stale-f2-fresh-f1-strict", "Timestamps", [c("f1_verified_at", FRESH), c("f2_verified_at", "{now-660}")], level="strict"))
    out.append(entry("ts/f2-only-strict-mfa", "Timestamps", [c("f2_verified_at", FRESH)], level="strict_mfa", note="[-,5] strict_mfa denies"))
    out.append(entry("ts/unix-epoch-zero", "Timestamps", [c("f1_verified_at", "0"), c("f2_verified_at", "0")]))
    out.append(entry("ts/wrong-case-claim-type", "Timestamps", [c("F2_verified_at", FRESH), c("F1_VERIFIED_AT", FRESH)]))
    out.append(entry("ts/claim-type-with-space", "Timestamps", [c("f2_verified_at ", FRESH)]))
    out.append(entry("ts/iat-fresh-no-verification-claims", "Timestamps", [c("iat", "{now}", INT), c("auth_time", "{now}", INT)]))
    return out


def clerk():
    out = []
    iat = lambda v="{now}": c("iat", v, INT)
    singles = [
        ("three-elements", "[0,0,0]"), ("one-element", "[0]"), ("empty-array", "[]"), ("comma-only", "[,]"),
        ("missing-second", "[0,]"), ("missing-first", "[,0]"), ("minus-zero", "[-0,0]"), ("plus-zero", "[+0,0]"),
        ("minus-two", "[0,-2]"), ("minus-minus-one", "[--1,0]"), ("both-never", "[-1,-1]"), ("decimal", "[0.0,0]"),
        ("exponent", "[1e0,0]"), ("exponent-upper", "[0,0E0]"), ("NaN", "[NaN,0]"), ("Infinity", "[Infinity,0]"),
        ("string-elements", "[\"0\",\"0\"]"), ("null-element", "[null,0]"), ("bool-element", "[true,0]"),
        ("nested-array", "[[0],0]"), ("object", "{\"0\":0,\"1\":0}"), ("no-brackets", "0,0"), ("trailing-garbage", "[0,0]x"),
        ("leading-garbage", "x[0,0]"), ("extra-bracket", "[0,0]]"), ("double-wrapped", "[[0,0]]"),
        ("arabic-indic", "[\u0660,\u0660]"), ("fullwidth", "[\uff10,\uff10]"), ("devanagari", "[\u0966,\u0966]"),
        ("leading-zero", "[00,0]"), ("20-digits", "[0,99999999999999999999]"), ("long-max", "[0,9223372036854775807]"),
        ("long-min", "[0,-9223372036854775808]"), ("age-before-1970", "[99999999,99999999]"),
        ("age-before-1970-second", "[0,999999999]"), ("long-digits", "[" + "0" * 100_000 + ",0]"),
        ("100k-ones", "[" + "1" * 100_000 + ",0]"), ("deep-nested", "[" * 5000 + "0,0" + "]" * 5000), ("nbsp", "[0\u00a0,0]"),
        ("nul", "[0,0]\u0000"), ("semicolon", "[0;0]"), ("parentheses", "(0,0)"), ("empty", ""), ("json-string", "\"[0,0]\""),
        ("unicode-minus", "[\u22121,0]"), ("fraction-minutes", "[0.5,0.5]"), ("hex", "[0x0,0]"), ("crlf-inside", "[0\r\n,0]x"),
    ]
    for name, v in singles:
        out.append(entry(f"fva/single-{name}", "ClerkFva", [c("fva", v, JSONARR), iat()]))
    splits = [
        ("letter", ["0", "x"]), ("minus-zero", ["-0", "0"]), ("plus-zero", ["+0", "0"]), ("leading-space", ["0", " 0"]),
        ("fraction", ["0", "1.5"]), ("three-claims", ["0", "0", "0"]), ("four-claims", ["0", "0", "0", "0"]),
        ("one-plain-claim", ["0"]), ("minus-two", ["-2", "0"]), ("NaN", ["NaN", "0"]), ("Infinity", ["0", "Infinity"]),
        ("exponent", ["0e0", "0"]), ("arabic", ["\u0660", "\u0660"]), ("fullwidth", ["\uff10", "\uff10"]),
        ("huge", ["99999999999999999999", "0"]), ("empty", ["", "0"]), ("both-never", ["-1", "-1"]),
        ("array-inside-split", ["[0,0]", "0"]), ("age-before-1970", ["0", "999999999"]),
    ]
    for name, vs in splits:
        out.append(entry(f"fva/split-{name}", "ClerkFva", [c("fva", v, INT) for v in vs] + [iat()]))
    # iat problems with an otherwise perfect fva.
    for shape, claims in (("single", [c("fva", "[0,0]", JSONARR)]), ("split", [c("fva", "0", INT), c("fva", "0", INT)])):
        out.append(entry(f"fva/{shape}-iat-missing", "ClerkFva", claims))
        out.append(entry(f"fva/{shape}-iat-future-1h", "ClerkFva", claims + [iat("{now+3600}")]))
        out.append(entry(f"fva/{shape}-iat-future-61s", "ClerkFva", claims + [iat("{now+61}")]))
        out.append(entry(f"fva/{shape}-iat-twice", "ClerkFva", claims + [iat(), iat()]))
        out.append(entry(f"fva/{shape}-iat-twice-conflicting", "ClerkFva", claims + [iat("{now-172800}"), iat()]))
        out.append(entry(f"fva/{shape}-also-on-secondary-identity", "ClerkFva",
                         claims + [iat(), c("fva", "[0,0]", JSONARR, "secondary"), c("iat", "{now}", INT, "secondary")],
                         note="a second identity without a subject carries times too: times of two identities never combine"))
        out.append(entry(f"fva/{shape}-iat-stale", "ClerkFva", claims + [iat("{now-86400}")], note="token age is added: 1440 minutes fails lax"))
        out.append(entry(f"fva/{shape}-iat-epoch", "ClerkFva", claims + [iat("0")]))
        for name, v in bad_numbers("{now}"):
            if name.startswith("future") or name == "year-9999":
                continue  # covered above; these are valid numbers
            out.append(entry(f"fva/{shape}-iat-{name}", "ClerkFva", claims + [c("iat", v)]))
        out.append(entry(f"fva/{shape}-only-on-unauthenticated-identity", "ClerkFva",
                         [dict(x, identity="unauthenticated") for x in claims] + [c("iat", "{now}", INT, "unauthenticated"), c("sub", "user")]))
    # Ages.
    out.append(entry("fva/age-equals-lax", "ClerkFva", [c("fva", "[1440,1440]", JSONARR), iat()]))
    out.append(entry("fva/age-plus-token-age-reaches-lax", "ClerkFva", [c("fva", "[1439,1439]", JSONARR), iat("{now-60}")]))
    out.append(entry("fva/strict-10-10", "ClerkFva", [c("fva", "[10,10]", JSONARR), iat()], level="strict"))
    out.append(entry("fva/strict-5-11", "ClerkFva", [c("fva", "[5,11]", JSONARR), iat()], level="strict"))
    out.append(entry("fva/strict-mfa-never-5", "ClerkFva", [c("fva", "[-1,5]", JSONARR), iat()], level="strict_mfa"))
    out.append(entry("fva/duplicate-single-claims", "ClerkFva", [c("fva", "[0,0]", JSONARR), c("fva", "[0,0]", JSONARR), iat()]))
    out.append(entry("fva/single-plus-split", "ClerkFva", [c("fva", "[0,0]", JSONARR), c("fva", "0", INT), iat()]))
    out.append(entry("fva/split-across-identities-three", "ClerkFva", [c("fva", "0", INT), c("fva", "0", INT), c("fva", "0", INT, "secondary"), iat()]))
    return out


def oidc():
    out = []
    amr = c("amr", "mfa")
    for name, v in bad_numbers(FRESH):
        out.append(entry(f"oidc/auth_time-{name}", "OpenIdConnect", [c("auth_time", v), amr]))
        out.append(entry(f"oidc/mapped-auth_time-{name}", "OpenIdConnect", [c(MAPPED_AUTH_TIME, v), c(MAPPED_AMR, "mfa")]))
    out += [
        entry("oidc/auth_time-twice", "OpenIdConnect", [c("auth_time", FRESH, INT), c("auth_time", FRESH, INT), amr]),
        entry("oidc/auth_time-and-mapped", "OpenIdConnect", [c("auth_time", FRESH, INT), c(MAPPED_AUTH_TIME, FRESH), amr]),
        entry("oidc/auth_time-conflicting", "OpenIdConnect", [c("auth_time", "{now-172800}", INT), c("auth_time", FRESH, INT), amr]),
        entry("oidc/auth_time-across-identities", "OpenIdConnect", [c("auth_time", FRESH, INT), c("auth_time", FRESH, INT, "secondary"), amr]),
        entry("oidc/amr-without-auth_time", "OpenIdConnect", [amr, c("iat", "{now}", INT)]),
        entry("oidc/mapped-amr-without-auth_time", "OpenIdConnect", [c(MAPPED_AMR, "mfa"), c("iat", "{now}", INT)]),
        entry("oidc/no-claims", "OpenIdConnect", [c("sub", "user"), c("iat", "{now}", INT)]),
        entry("oidc/auth_time-stale", "OpenIdConnect", [c("auth_time", "{now-172800}", INT), amr]),
        entry("oidc/auth_time-age-equals-lax", "OpenIdConnect", [c("auth_time", "{now-86400}", INT), amr]),
        entry("oidc/auth_time-future", "OpenIdConnect", [c("auth_time", "{now+3600}", INT), amr]),
        entry("oidc/auth_time-only-unauthenticated", "OpenIdConnect", [c("sub", "user"), c("auth_time", FRESH, INT, "unauthenticated"), c("amr", "mfa", identity="unauthenticated")]),
        entry("oidc/pwd-only-strict-mfa-stale", "OpenIdConnect", [c("auth_time", "{now-660}", INT), c("amr", "pwd")], level="strict"),
        entry("oidc/double-valuetype", "OpenIdConnect", [c("auth_time", "1.7E+09", DOUBLE), amr]),
    ]
    amr_arrays = [
        ("unterminated", "[\"mfa\""), ("numbers", "[1,2]"), ("nested", "[[\"mfa\"]]"), ("object-element", "[\"mfa\",{}]"),
        ("null-element", "[\"mfa\",null]"), ("deep", "[" * 1000 + "]" * 1000), ("long", "[" + ",".join(["\"pwd\""] * 1000) + "]"),
        ("trailing", "[\"mfa\"]x"), ("two-values", "[\"mfa\"][\"otp\"]"), ("single-quotes", "['mfa']"),
        ("trailing-comma", "[\"mfa\",]"), ("bool", "[true]"), ("empty-bracket", "["),
    ]
    for name, v in amr_arrays:
        out.append(entry(f"oidc/amr-json-{name}", "OpenIdConnect", [c("auth_time", FRESH, INT), c("amr", v, JSONARR)]))
    return out


def supa():
    out = []
    def amr(v, vt=JSONT, identity=None):
        return c("amr", v, vt, identity)
    def obj(method, ts):
        return "{\"method\":\"" + method + "\",\"timestamp\":" + ts + "}"
    bad_ts = [
        ("string", "\"{now-60}\""), ("exponent", "1.7e9"), ("exponent-upper", "17E8"), ("negative", "-1"), ("minus-zero", "-0"),
        ("negative-fresh", "-{now-60}"), ("huge", "99999999999999999999"), ("1e400", "1e400"), ("NaN", "NaN"),
        ("Infinity", "Infinity"), ("null", "null"), ("true", "true"), ("object", "{\"v\":{now-60}}"), ("array", "[{now-60}]"),
        ("leading-plus", "+{now-60}"), ("leading-zero", "0{now-60}"), ("future", "{now+3600}"), ("future-61s", "{now+61}"),
        ("past-9999", "253402300800"), ("ten-fraction-digits", "{now-60}.1234567890"), ("hex", "0x10"),
        ("arabic", digits(T, "\u0660")), ("fullwidth", digits(T, "\uff10")),
    ]
    for name, ts in bad_ts:
        out.append(entry(f"supa/timestamp-{name}", "SupabaseAmr", [amr(obj("totp", ts)), amr(obj("password", FRESH))]))
        out.append(entry(f"supa/array-timestamp-{name}", "SupabaseAmr", [amr("[" + obj("password", FRESH) + "," + obj("totp", ts) + "]", JSONARR)]))
    shapes = [
        ("missing-timestamp", "{\"method\":\"totp\"}"), ("missing-method", "{\"timestamp\":{now-60}}"),
        ("method-number", "{\"method\":1,\"timestamp\":{now-60}}"), ("method-null", "{\"method\":null,\"timestamp\":{now-60}}"),
        ("method-array", "{\"method\":[\"totp\"],\"timestamp\":{now-60}}"),
        ("duplicate-method", "{\"method\":\"password\",\"method\":\"totp\",\"timestamp\":{now-60}}"),
        ("duplicate-timestamp", "{\"method\":\"totp\",\"timestamp\":1,\"timestamp\":{now-60}}"),
        ("provider-object", "{\"method\":\"totp\",\"timestamp\":{now-60},\"provider\":{}}"),
        ("provider-array", "{\"method\":\"totp\",\"timestamp\":{now-60},\"provider\":[]}"),
        ("provider-null", "{\"method\":\"totp\",\"timestamp\":{now-60},\"provider\":null}"),
        ("deep", "[" * 2000 + "]" * 2000), ("deep-object", "{\"a\":" * 500 + "1" + "}" * 500),
        ("trailing-garbage", "{\"method\":\"totp\",\"timestamp\":{now-60}}x"),
        ("two-values", "{\"method\":\"totp\",\"timestamp\":{now-60}}{\"method\":\"totp\",\"timestamp\":{now-60}}"),
        ("truncated", "{\"method\":\"totp\",\"timestamp\":{now-60}"), ("empty", ""), ("whitespace", "   "),
        ("empty-object", "{}"), ("empty-array", "[]"), ("string", "\"totp\""), ("number", "{now-60}"), ("null", "null"),
        ("plain-method", "totp"), ("single-quotes", "{'method':'totp','timestamp':{now-60}}"),
        ("comment", "{\"method\":\"totp\",/*c*/\"timestamp\":{now-60}}"),
        ("trailing-comma", "{\"method\":\"totp\",\"timestamp\":{now-60},}"),
        ("too-long", "[" + ",".join([obj("password", "{now-60}")] * 300) + "]"),
        ("long-provider", "{\"method\":\"totp\",\"timestamp\":{now-60},\"provider\":\"" + "x" * 10000 + "\"}"),
        ("nested-array-of-arrays", "[[" + obj("totp", FRESH) + "]]"),
        ("unknown-methods-only", "[" + obj("carrier-pigeon", FRESH) + "]"),
        ("invalid-utf16", "{\"method\":\"totp{U+D800}\",\"timestamp\":{now-60}}"),
        ("nul-in-method", "{\"method\":\"totp\\u0000\",\"timestamp\":{now-60}}"),
        ("method-case", "{\"method\":\"TOTP\",\"timestamp\":{now-60}}"),
    ]
    for name, v in shapes:
        out.append(entry(f"supa/{name}", "SupabaseAmr", [amr(v), amr(obj("password", "{now-172800}"))]))
    out += [
        entry("supa/valid-plus-malformed", "SupabaseAmr", [amr(obj("password", FRESH)), amr(obj("totp", FRESH)), amr("{\"method\":\"totp\"}")]),
        entry("supa/malformed-first-then-valid", "SupabaseAmr", [amr("{}"), amr(obj("totp", FRESH))]),
        entry("supa/stale", "SupabaseAmr", [amr(obj("password", "{now-172800}")), amr(obj("totp", "{now-172800}"))]),
        entry("supa/age-equals-lax", "SupabaseAmr", [amr(obj("totp", "{now-86400}"))]),
        entry("supa/strict-mfa-second-only", "SupabaseAmr", [amr(obj("totp", FRESH))], level="strict_mfa"),
        entry("supa/no-amr", "SupabaseAmr", [c("sub", "user"), c("iat", "{now}", INT)]),
        entry("supa/only-unauthenticated", "SupabaseAmr", [c("sub", "user"), amr(obj("totp", FRESH), identity="unauthenticated")]),
        entry("supa/mapped-amr-malformed", "SupabaseAmr", [c(MAPPED_AMR, "mfa"), amr(obj("totp", FRESH))]),
        entry("supa/oidc-style-amr-strings", "SupabaseAmr", [c("amr", "pwd"), c("amr", "mfa"), c("auth_time", FRESH, INT)]),
    ]
    return out


def mixed():
    """One principal with several formats' claims; only the configured reader's claims count."""
    ts = [c("f1_verified_at", FRESH), c("f2_verified_at", FRESH)]
    fva = [c("fva", "[0,0]", JSONARR), c("iat", "{now}", INT)]
    oidc = [c("auth_time", FRESH, INT), c("amr", "mfa")]
    supa = [c("amr", "{\"method\":\"totp\",\"timestamp\":" + FRESH + "}", JSONT)]
    supa_array = [c("amr", "[{\"method\":\"password\",\"timestamp\":" + FRESH + "},{\"method\":\"totp\",\"timestamp\":" + FRESH + "}]", JSONARR)]
    out = [
        entry("mixed/timestamps-reader-other-formats-fresh", "Timestamps", fva + oidc + supa, note="only f1/f2 count: missing"),
        entry("mixed/timestamps-reader-stale-own-fresh-others", "Timestamps", [c("f1_verified_at", "{now-172800}"), c("f2_verified_at", "{now-172800}")] + fva + oidc),
        entry("mixed/timestamps-reader-malformed-own-fresh-others", "Timestamps", [c("f2_verified_at", "x")] + fva + oidc + supa),
        entry("mixed/fva-reader-other-formats-fresh", "ClerkFva", ts + oidc + supa + [c("iat", "{now}", INT)]),
        entry("mixed/fva-reader-stale-own-fresh-others", "ClerkFva", [c("fva", "[2000,2000]", JSONARR), c("iat", "{now}", INT)] + ts + oidc),
        entry("mixed/fva-reader-malformed-own-fresh-others", "ClerkFva", [c("fva", "[x,0]", JSONARR), c("iat", "{now}", INT)] + ts + oidc),
        entry("mixed/oidc-reader-other-formats-fresh-no-auth_time", "OpenIdConnect", ts + fva + supa, note="amr objects, no auth_time: malformed"),
        entry("mixed/oidc-reader-timestamps-and-fva-fresh", "OpenIdConnect", ts + fva),
        entry("mixed/oidc-reader-stale-auth_time-fresh-supabase-amr", "OpenIdConnect", [c("auth_time", "{now-172800}", INT)] + supa + ts + fva),
        entry("mixed/oidc-reader-supabase-array-amr", "OpenIdConnect", supa_array + ts + fva),
        entry("mixed/supabase-reader-oidc-amr-strings", "SupabaseAmr", oidc + ts + fva, note="plain amr strings are malformed here"),
        entry("mixed/supabase-reader-other-formats-no-amr", "SupabaseAmr", ts + fva + [c("auth_time", FRESH, INT)]),
        entry("mixed/supabase-reader-stale-own-fresh-others", "SupabaseAmr", [c("amr", "{\"method\":\"totp\",\"timestamp\":{now-172800}}", JSONT)] + ts + fva),
        entry("mixed/supabase-reader-supabase-plus-oidc-amr", "SupabaseAmr", supa + [c("amr", "mfa")] + ts),
    ]
    # Every format's claims fresh but the configured one's only on an unauthenticated identity.
    for fmt, own in (("Timestamps", ts), ("ClerkFva", fva), ("OpenIdConnect", oidc), ("SupabaseAmr", supa)):
        others = [x for x in ts + fva + oidc + supa if x not in own]
        out.append(entry(f"mixed/{fmt}-own-only-unauthenticated", fmt,
                         [dict(x, identity="unauthenticated") for x in own] + [x for x in others if x["type"] not in {o["type"] for o in own}]))
    return out


def controls():
    """Well-formed input that must pass: proves the harness and the configuration can pass."""
    def supa_obj(m, ts):
        return "{\"method\":\"" + m + "\",\"timestamp\":" + ts + "}"
    return [
        entry("control/ts-both-fresh", "Timestamps", [c("f1_verified_at", FRESH), c("f2_verified_at", FRESH)], expected="pass"),
        entry("control/ts-f1-only", "Timestamps", [c("f1_verified_at", FRESH)], expected="pass"),
        entry("control/ts-fraction", "Timestamps", [c("f2_verified_at", FRESH + ".25")], expected="pass"),
        entry("control/ts-strict-mfa", "Timestamps", [c("f1_verified_at", FRESH), c("f2_verified_at", FRESH)], level="strict_mfa", expected="pass"),
        entry("control/ts-future-within-skew", "Timestamps", [c("f2_verified_at", "{now+59}")], expected="pass"),
        entry("control/fva-single", "ClerkFva", [c("fva", "[0,0]", JSONARR), c("iat", "{now}", INT)], expected="pass"),
        entry("control/fva-single-whitespace", "ClerkFva", [c("fva", " [ 3 , -1 ] ", JSONARR), c("iat", "{now}", INT)], expected="pass"),
        entry("control/fva-split", "ClerkFva", [c("fva", "5", INT), c("fva", "5", INT), c("iat", "{now}", INT)], level="strict", expected="pass"),
        entry("control/fva-never-second", "ClerkFva", [c("fva", "5", INT), c("fva", "-1", INT), c("iat", "{now}", INT)], level="strict_mfa", expected="pass"),
        entry("control/oidc-mfa", "OpenIdConnect", [c("auth_time", FRESH, INT), c("amr", "pwd"), c("amr", "mfa")], level="strict_mfa", expected="pass"),
        entry("control/oidc-mapped", "OpenIdConnect", [c(MAPPED_AUTH_TIME, FRESH), c(MAPPED_AMR, "otp")], expected="pass"),
        entry("control/oidc-amr-json", "OpenIdConnect", [c("auth_time", FRESH, INT), c("amr", "[\"pwd\",\"hwk\"]", JSONARR)], expected="pass"),
        entry("control/supa-split", "SupabaseAmr", [c("amr", supa_obj("password", FRESH), JSONT), c("amr", supa_obj("totp", FRESH), JSONT)], level="strict_mfa", expected="pass"),
        entry("control/supa-array", "SupabaseAmr", [c("amr", "[" + supa_obj("password", FRESH) + "," + supa_obj("totp", "{now-30}") + "]", JSONARR)], expected="pass"),
        entry("control/supa-provider", "SupabaseAmr", [c("amr", "{\"method\":\"oauth\",\"timestamp\":" + FRESH + ",\"provider\":\"github\"}", JSONT)], expected="pass"),
    ]


def write(name, entries):
    ids = [e["id"] for e in entries]
    assert len(ids) == len(set(ids)), name
    with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
        json.dump(entries, f, ensure_ascii=True, indent=1)
        f.write("\n")
    print(name, len(entries))


write("timestamps.json", timestamps())
write("clerk-fva.json", clerk())
write("openidconnect.json", oidc())
write("supabase-amr.json", supa())
write("mixed-formats.json", mixed())
write("controls.json", controls())
