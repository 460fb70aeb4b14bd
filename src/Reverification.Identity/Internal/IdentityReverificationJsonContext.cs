using System.Text.Json;
using System.Text.Json.Serialization;

namespace Reverification.Identity.Internal;

/// <summary>
/// The endpoints' JSON, source-generated: web names (camelCase, read case-insensitively) and no duplicated property
/// (<c>{"code":"1","code":"2"}</c> is refused rather than read as one of the two).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, AllowDuplicateProperties = false)]
[JsonSerializable(typeof(PasswordRequest))]
[JsonSerializable(typeof(CodeRequest))]
[JsonSerializable(typeof(PasskeyRequest))]
[JsonSerializable(typeof(MethodsResponse))]
[JsonSerializable(typeof(ReceiptResponse))]
internal sealed partial class IdentityReverificationJsonContext : JsonSerializerContext
{
}
