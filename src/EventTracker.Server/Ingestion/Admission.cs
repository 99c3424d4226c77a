namespace EventTracker.Server.Ingestion;

/// <summary>What <see cref="EventAdmission"/> answers: the stored events' answer, or why none was stored.</summary>
internal readonly record struct Admission<T>(T? Value, AdmissionRefusal? Refusal)
    where T : class
{
    public static implicit operator Admission<T>(T value) => new(value, null);

    public static implicit operator Admission<T>(AdmissionRefusal refusal) => new(null, refusal);
}
