using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Reverification.Redis.Internal;

/// <summary>Validates <see cref="RedisApprovalStoreOptions"/> at start-up, with messages that say what to change.</summary>
internal sealed class RedisApprovalStoreOptionsValidator : IValidateOptions<RedisApprovalStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisApprovalStoreOptions options)
    {
        var builder = new ValidateOptionsResultBuilder();
        if (options.ConnectionMultiplexerFactory is null)
        {
            if (string.IsNullOrWhiteSpace(options.Configuration))
            {
                builder.AddError("Give Redis's address: AddRedisApprovalStore(\"localhost:6379\"), or set Configuration or ConnectionMultiplexerFactory.", nameof(options.Configuration));
            }
            else
            {
                try
                {
                    ConfigurationOptions.Parse(options.Configuration);
                }
                catch (ArgumentException ex)
                {
                    builder.AddError($"Configuration is not a StackExchange.Redis configuration string ({ex.Message}); for example \"localhost:6379\".", nameof(options.Configuration));
                }
            }
        }

        if (string.IsNullOrEmpty(options.KeyPrefix))
        {
            builder.AddError("KeyPrefix must not be empty (the default is \"reverification:approval:\"): approvals share Redis with other data.", nameof(options.KeyPrefix));
        }
        else if (options.KeyPrefix.AsSpan().IndexOfAny('{', '}') >= 0)
        {
            // Redis Cluster hashes the first {...} of a key: braces in the prefix would put every approval on one node.
            builder.AddError($"KeyPrefix '{options.KeyPrefix}' must not contain '{{' or '}}': the store puts each approval's id in braces (its cluster hash tag), and braces in the prefix would send every approval to one node.", nameof(options.KeyPrefix));
        }

        return builder.Build();
    }
}
