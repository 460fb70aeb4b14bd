using System.Reflection;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.Extensions.DependencyInjection;

namespace Reverification.AspNetCore.Tests.Infrastructure;

internal static class TestControllersExtensions
{
    /// <summary>Adds only the listed controllers of this assembly (others would be validated at start-up too).</summary>
    public static IMvcBuilder AddTestControllers(this IServiceCollection services, params Type[] controllers)
        => services.AddControllers().ConfigureApplicationPartManager(manager =>
        {
            manager.ApplicationParts.Add(new AssemblyPart(typeof(TestApp).Assembly));
            manager.FeatureProviders.Add(new OnlyControllers(controllers));
        });

    private sealed class OnlyControllers(Type[] controllers) : IApplicationFeatureProvider<ControllerFeature>
    {
        public void PopulateFeature(IEnumerable<ApplicationPart> parts, ControllerFeature feature)
        {
            foreach (var controller in feature.Controllers.ToList())
            {
                if (!controllers.Contains(controller.AsType()))
                {
                    feature.Controllers.Remove(controller);
                }
            }
        }
    }

    public static TypeInfo Info(this Type type) => type.GetTypeInfo();
}
