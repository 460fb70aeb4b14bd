using System.Security.Claims;
using Reverification.AspNetCore.Internal;
using static Reverification.AspNetCore.Tests.Infrastructure.TestTokens;

namespace Reverification.AspNetCore.Tests;

public class ClaimsReaderTests
{
    private const long Iat = 1_790_000_000;
    private static readonly ReverificationOptions Defaults = new();

    private static IVerificationClaimsReader Reader(VerificationClaimsFormat format)
        => new ReverificationOptions().Use(format).CreateReader();

    private static VerificationTimes Read(VerificationClaimsFormat format, params Claim[] claims) => Reader(format).Read(Principal(claims));

    private static Claim C(string type, string value) => new(type, value);

    // Timestamps (the default).

    [Fact]
    public void Timestamps_BothClaims_AreRead()
    {
        var times = Read(VerificationClaimsFormat.Timestamps, C("f1_verified_at", "1790000000"), C("f2_verified_at", "1790000060"));
        Assert.Equal(VerificationClaimsStatus.Found, times.Status);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_790_000_000), times.FirstFactorVerifiedAt);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_790_000_060), times.SecondFactorVerifiedAt);
    }

    [Fact]
    public void Timestamps_OneClaim_OtherFactorIsNever()
    {
        var times = Read(VerificationClaimsFormat.Timestamps, C("f1_verified_at", "1790000000"));
        Assert.Equal(VerificationClaimsStatus.Found, times.Status);
        Assert.Null(times.SecondFactorVerifiedAt);
    }

    [Fact]
    public void Timestamps_FractionalNumericDate_IsTruncated()
        => Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_790_000_000), Read(VerificationClaimsFormat.Timestamps, C("f1_verified_at", "1790000000.75")).FirstFactorVerifiedAt);

    [Fact]
    public void Timestamps_NoClaims_IsMissing()
        => Assert.Equal(VerificationClaimsStatus.Missing, Read(VerificationClaimsFormat.Timestamps, C("sub", "u")).Status);

    [Fact]
    public void Timestamps_UnauthenticatedIdentity_IsIgnored()
    {
        var principal = new ClaimsPrincipal(new ClaimsIdentity([C("f1_verified_at", "1790000000")]));
        Assert.Equal(VerificationClaimsStatus.Missing, Reader(VerificationClaimsFormat.Timestamps).Read(principal).Status);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" 1790000000")]
    [InlineData("1790000000 ")]
    [InlineData("+1790000000")]
    [InlineData("-1790000000")]
    [InlineData("-1")]
    [InlineData("-0")]
    [InlineData("01790000000")]
    [InlineData("1.79e9")]
    [InlineData("1790000000.")]
    [InlineData(".5")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("0x6AB1A680")]
    [InlineData("١٧٩٠٠٠٠٠٠٠")]
    [InlineData("１７９００００００")]
    [InlineData("99999999999999999999999")]
    [InlineData("253402300800")]
    [InlineData("\"1790000000\"")]
    [InlineData("[1790000000]")]
    [InlineData("true")]
    public void Timestamps_MalformedValue_IsMalformed(string value)
        => Assert.Equal(VerificationClaimsStatus.Malformed, Read(VerificationClaimsFormat.Timestamps, C("f1_verified_at", value)).Status);

    [Theory]
    [InlineData(ClaimValueTypes.Boolean)]
    [InlineData("JSON")]
    [InlineData("JSON_NULL")]
    public void Timestamps_ValueTypeThatIsNotANumber_IsMalformed(string valueType)
        => Assert.Equal(VerificationClaimsStatus.Malformed, Read(VerificationClaimsFormat.Timestamps, new Claim("f1_verified_at", "1790000000", valueType)).Status);

    [Fact]
    public void Timestamps_DuplicateClaim_IsMalformed()
        => Assert.Equal(VerificationClaimsStatus.Malformed, Read(VerificationClaimsFormat.Timestamps, C("f2_verified_at", "1790000000"), C("f2_verified_at", "1790000000")).Status);

    [Fact]
    public void Timestamps_ReadsOneIdentityOnly()
    {
        var reader = Reader(VerificationClaimsFormat.Timestamps);
        var times = reader.Read(new ClaimsIdentity([C("f1_verified_at", "1790000000")], "a"));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_790_000_000), times.FirstFactorVerifiedAt);
        Assert.Null(times.SecondFactorVerifiedAt);
    }

    // Clerk fva.

    [Fact]
    public void ClerkFva_SplitClaims_AreReadAsOfIat()
    {
        var times = Read(VerificationClaimsFormat.ClerkFva, C("fva", "5"), C("fva", "-1"), C("iat", Iat.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(VerificationClaimsStatus.Found, times.Status);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(Iat - 300), times.FirstFactorVerifiedAt);
        Assert.Null(times.SecondFactorVerifiedAt);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(Iat), times.IssuedAt);
    }

    [Theory]
    [InlineData("[5,-1]")]
    [InlineData("[ 5 , -1 ]")]
    [InlineData(" [5,-1]\n")]
    public void ClerkFva_OneJsonArrayClaim_IsRead(string value)
    {
        var times = Read(VerificationClaimsFormat.ClerkFva, C("fva", value), C("iat", "1790000000"));
        Assert.Equal(VerificationClaimsStatus.Found, times.Status);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(Iat - 300), times.FirstFactorVerifiedAt);
        Assert.Null(times.SecondFactorVerifiedAt);
    }

    [Theory]
    [InlineData("[5]")]
    [InlineData("[5,1,2]")]
    [InlineData("[]")]
    [InlineData("[5,-2]")]
    [InlineData("[-5,1]")]
    [InlineData("[5.0,1]")]
    [InlineData("[5e1,1]")]
    [InlineData("[\"5\",1]")]
    [InlineData("[null,1]")]
    [InlineData("[[5],1]")]
    [InlineData("{\"a\":5}")]
    [InlineData("5")]
    [InlineData("[5,1")]
    [InlineData("[5,,1]")]
    [InlineData("[+5,1]")]
    [InlineData("[-0,1]")]
    [InlineData("[05,1]")]
    [InlineData("[99999999999999999999,1]")]
    [InlineData("not json")]
    [InlineData("")]
    public void ClerkFva_MalformedArray_IsMalformed(string value)
        => Assert.Equal(VerificationClaimsStatus.Malformed, Read(VerificationClaimsFormat.ClerkFva, C("fva", value), C("iat", "1790000000")).Status);

    [Theory]
    [InlineData("5", "-2")]
    [InlineData("5", "1.5")]
    [InlineData("5", "")]
    [InlineData("5", "[1,2]")]
    [InlineData("x", "1")]
    public void ClerkFva_MalformedSplitClaims_AreMalformed(string first, string second)
        => Assert.Equal(VerificationClaimsStatus.Malformed, Read(VerificationClaimsFormat.ClerkFva, C("fva", first), C("fva", second), C("iat", "1790000000")).Status);

    [Fact]
    public void ClerkFva_ThreeSplitClaims_AreMalformed()
        => Assert.Equal(VerificationClaimsStatus.Malformed, Read(VerificationClaimsFormat.ClerkFva, C("fva", "1"), C("fva", "1"), C("fva", "1"), C("iat", "1790000000")).Status);

    [Fact]
    public void ClerkFva_MissingOrDuplicateIat_IsMalformed()
    {
        Assert.Equal(VerificationClaimsStatus.Malformed, Read(VerificationClaimsFormat.ClerkFva, C("fva", "[1,1]")).Status);
        Assert.Equal(VerificationClaimsStatus.Malformed, Read(VerificationClaimsFormat.ClerkFva, C("fva", "[1,1]"), C("iat", "1790000000"), C("iat", "1790000000")).Status);
        Assert.Equal(VerificationClaimsStatus.Malformed, Read(VerificationClaimsFormat.ClerkFva, C("fva", "[1,1]"), C("iat", "soon")).Status);
    }

    [Fact]
    public void ClerkFva_AgeReachingBefore1970_IsMalformed()
        => Assert.Equal(VerificationClaimsStatus.Malformed, Read(VerificationClaimsFormat.ClerkFva, C("fva", "[999999999,1]"), C("iat", "1790000000")).Status);

    [Fact]
    public void ClerkFva_NoFva_IsMissing()
        => Assert.Equal(VerificationClaimsStatus.Missing, Read(VerificationClaimsFormat.ClerkFva, C("iat", "1790000000")).Status);

    [Fact]
    public void ClerkFva_TokenAge_IsAddedToTheStatedAges()
    {
        // fva says 5 minutes as of iat; the token is 6 minutes old: the verification is 11 minutes old now.
        var service = new ReverificationService(
            Microsoft.Extensions.Options.Options.Create(new ReverificationOptions().Use(VerificationClaimsFormat.ClerkFva)),
            new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(Iat).AddMinutes(6)),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<ReverificationService>.Instance);
        var principal = Principal(C("fva", "5"), C("fva", "5"), C("iat", "1790000000"));
        Assert.Equal(ReverificationOutcome.ReverificationRequired, service.Check(principal, ReverificationLevel.Strict));
        Assert.Equal(ReverificationOutcome.Passed, service.Check(principal, ReverificationLevel.Moderate));
    }

    // OpenID Connect.

    [Theory]
    [InlineData("auth_time", "amr")]
    [InlineData(ClaimTypes.AuthenticationInstant, "http://schemas.microsoft.com/claims/authnmethodsreferences")]
    public void OpenIdConnect_SecondFactorMethod_VerifiesBothAtAuthTime(string authTimeType, string amrType)
    {
        var times = Read(VerificationClaimsFormat.OpenIdConnect, C(authTimeType, "1790000000"), C(amrType, "pwd"), C(amrType, "otp"));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(Iat), times.FirstFactorVerifiedAt);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(Iat), times.SecondFactorVerifiedAt);
    }

    [Fact]
    public void OpenIdConnect_PasswordOnly_SecondFactorIsNever()
    {
        var times = Read(VerificationClaimsFormat.OpenIdConnect, C("auth_time", "1790000000"), C("amr", "pwd"));
        Assert.Equal(VerificationClaimsStatus.Found, times.Status);
        Assert.Null(times.SecondFactorVerifiedAt);
    }

    [Fact]
    public void OpenIdConnect_AmrAsOneJsonArrayClaim_IsRead()
        => Assert.NotNull(Read(VerificationClaimsFormat.OpenIdConnect, C("auth_time", "1790000000"), C("amr", "[\"pwd\",\"hwk\"]")).SecondFactorVerifiedAt);

    [Theory]
    [InlineData("[\"pwd\",5]")]
    [InlineData("[\"pwd\"")]
    [InlineData("[[\"mfa\"]]")]
    public void OpenIdConnect_MalformedAmrArray_IsMalformed(string amr)
        => Assert.Equal(VerificationClaimsStatus.Malformed, Read(VerificationClaimsFormat.OpenIdConnect, C("auth_time", "1790000000"), C("amr", amr)).Status);

    [Theory]
    [InlineData(ClaimValueTypes.Integer)]
    [InlineData(ClaimValueTypes.Integer64)]
    [InlineData(ClaimValueTypes.Double)]
    [InlineData(ClaimValueTypes.Boolean)]
    [InlineData("JSON")]
    [InlineData("JSON_NULL")]
    public void OpenIdConnect_AmrElementThatIsNotAString_IsMalformed(string valueType)
        => Assert.Equal(VerificationClaimsStatus.Malformed, Read(VerificationClaimsFormat.OpenIdConnect, C("auth_time", "1790000000"), C("amr", "pwd"), new Claim("amr", "mfa", valueType)).Status);

    [Fact]
    public void OpenIdConnect_ArrayBesideOtherAmrClaims_IsMalformed()
    {
        // "amr": ["pwd", ["mfa"]] arrives as "pwd" and a JSON_ARRAY element; the one-claim form is only the sole amr claim.
        Assert.Equal(VerificationClaimsStatus.Malformed, Read(VerificationClaimsFormat.OpenIdConnect, C("auth_time", "1790000000"), C("amr", "pwd"), new Claim("amr", "[\"mfa\"]", "JSON_ARRAY")).Status);
        Assert.Equal(VerificationClaimsStatus.Malformed, Read(VerificationClaimsFormat.OpenIdConnect, C("auth_time", "1790000000"), new Claim("amr", "[\"mfa\"]", "JSON_ARRAY"), C("amr", "pwd")).Status);
        Assert.NotNull(Read(VerificationClaimsFormat.OpenIdConnect, C("auth_time", "1790000000"), new Claim("amr", "[\"pwd\",\"mfa\"]", "JSON_ARRAY")).SecondFactorVerifiedAt);
    }

    [Fact]
    public void OpenIdConnect_StringTypedArrayBesideSplitClaims_IsRead()
    {
        // ASP.NET Core's MapAll claim action stores the userinfo amr array as one string claim, beside the ID token's
        // split amr claims.
        var times = Read(VerificationClaimsFormat.OpenIdConnect, C("auth_time", "1790000000"), C("amr", "pwd"), C("amr", "[\"pwd\",\"otp\"]"));
        Assert.Equal(VerificationClaimsStatus.Found, times.Status);
        Assert.NotNull(times.SecondFactorVerifiedAt);
    }

    [Fact]
    public void OpenIdConnect_AmrWithoutAuthTime_IsMalformed()
        => Assert.Equal(VerificationClaimsStatus.Malformed, Read(VerificationClaimsFormat.OpenIdConnect, C("amr", "mfa")).Status);

    [Fact]
    public void OpenIdConnect_AuthTimeUnderBothNames_IsMalformed()
        => Assert.Equal(VerificationClaimsStatus.Malformed, Read(VerificationClaimsFormat.OpenIdConnect, C("auth_time", "1790000000"), C(ClaimTypes.AuthenticationInstant, "1790000000")).Status);

    [Fact]
    public void OpenIdConnect_MethodNamesAreCaseSensitive()
        => Assert.Null(Read(VerificationClaimsFormat.OpenIdConnect, C("auth_time", "1790000000"), C("amr", "MFA")).SecondFactorVerifiedAt);

    // Supabase amr.

    [Fact]
    public void Supabase_NewestTimestampPerGroup_Counts()
    {
        var times = Read(VerificationClaimsFormat.SupabaseAmr,
            C("amr", "{\"method\":\"password\",\"timestamp\":1790000000}"),
            C("amr", "{\"method\":\"otp\",\"timestamp\":1790000100}"),
            C("amr", "{\"method\":\"totp\",\"timestamp\":1790000050}"),
            C("amr", "{\"method\":\"anonymous\",\"timestamp\":1790009999}"));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_790_000_100), times.FirstFactorVerifiedAt);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_790_000_050), times.SecondFactorVerifiedAt);
    }

    [Fact]
    public void Supabase_OneJsonArrayClaim_IsRead()
    {
        var times = Read(VerificationClaimsFormat.SupabaseAmr,
            C("amr", "[{\"method\":\"password\",\"timestamp\":1790000000,\"provider\":\"email\"},{\"method\":\"mfa/totp\",\"timestamp\":1790000010}]"));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_790_000_010), times.SecondFactorVerifiedAt);
    }

    [Theory]
    [InlineData("pwd")]
    [InlineData("{\"method\":\"password\"}")]
    [InlineData("{\"timestamp\":1790000000}")]
    [InlineData("{\"method\":\"password\",\"timestamp\":\"1790000000\"}")]
    [InlineData("{\"method\":\"password\",\"timestamp\":-1}")]
    [InlineData("{\"method\":\"password\",\"timestamp\":1.79e9}")]
    [InlineData("{\"method\":5,\"timestamp\":1790000000}")]
    [InlineData("{\"method\":\"password\",\"method\":\"totp\",\"timestamp\":1790000000}")]
    [InlineData("{\"method\":\"password\",\"timestamp\":1790000000,\"timestamp\":1790000001}")]
    [InlineData("{\"method\":\"password\",\"timestamp\":1790000000,\"x\":{\"y\":1}}")]
    [InlineData("{\"method\":\"password\",\"timestamp\":1790000000} trailing")]
    [InlineData("[{\"method\":\"password\",\"timestamp\":1790000000},5]")]
    [InlineData("[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]")]
    [InlineData("{")]
    [InlineData("")]
    public void Supabase_MalformedEntry_IsMalformed(string value)
        => Assert.Equal(VerificationClaimsStatus.Malformed, Read(VerificationClaimsFormat.SupabaseAmr, C("amr", "{\"method\":\"totp\",\"timestamp\":1790000000}"), C("amr", value)).Status);

    [Fact]
    public void Supabase_ArrayBesideOtherAmrClaims_IsMalformed()
    {
        const string Entry = "{\"method\":\"totp\",\"timestamp\":1790000000}";
        Assert.Equal(VerificationClaimsStatus.Malformed, Read(VerificationClaimsFormat.SupabaseAmr, new Claim("amr", Entry, "JSON"), new Claim("amr", "[" + Entry + "]", "JSON_ARRAY")).Status);
        Assert.Equal(VerificationClaimsStatus.Malformed, Read(VerificationClaimsFormat.SupabaseAmr, new Claim("amr", "[" + Entry + "]", "JSON_ARRAY"), new Claim("amr", Entry, "JSON")).Status);
        Assert.Equal(VerificationClaimsStatus.Found, Read(VerificationClaimsFormat.SupabaseAmr, new Claim("amr", "[" + Entry + "]", "JSON_ARRAY")).Status);

        // Typed as a string (a claim action, a cookie ticket), the array text is read beside other claims.
        Assert.Equal(VerificationClaimsStatus.Found, Read(VerificationClaimsFormat.SupabaseAmr, new Claim("amr", Entry, "JSON"), C("amr", "[" + Entry + "]")).Status);
    }

    [Fact]
    public void Supabase_VeryLongValue_IsMalformedWithoutThrowing()
        => Assert.Equal(VerificationClaimsStatus.Malformed, Read(VerificationClaimsFormat.SupabaseAmr, C("amr", new string('[', 100_000))).Status);

    [Fact]
    public void Supabase_NoAmr_IsMissing()
        => Assert.Equal(VerificationClaimsStatus.Missing, Read(VerificationClaimsFormat.SupabaseAmr, C("sub", "u")).Status);

    [Fact]
    public void Defaults_ClaimTypes_AreDocumentedValues()
    {
        Assert.Equal("f1_verified_at", new TimestampClaimsOptions().FirstFactorClaimType);
        Assert.Equal("f2_verified_at", new TimestampClaimsOptions().SecondFactorClaimType);
        Assert.Equal("fva", new ClerkFvaClaimsOptions().ClaimType);
        Assert.Equal(TimeSpan.FromMinutes(1), Defaults.ClockSkew);
    }
}
