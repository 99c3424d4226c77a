namespace EventTracker.AspNetCore;

/// <summary>Registered by <c>AddEventTracking</c>, so <c>UseEventTracking</c> can tell it was called.</summary>
internal sealed class EventTrackingMarker;
