namespace EventTracker.Contracts.Tests;

/// <summary>The JSON examples of the API guide, verbatim (a "[...]" placeholder replaced by an empty list).</summary>
internal static class SeedExamples
{
    public const string Payload = """
        {
          "userAgent": "Mozilla/5.0...",
          "referrer": "https://previous-page.com",
          "sessionId": "session-abc123",
          "userRole": "premium-user",
          "correlationId": "req-12345",
          "statusCode": 200,
          "responseTimeMs": 150,
          "serviceName": "user-service",
          "metadata": {
            "feature": "authentication",
            "version": "2.1.0",
            "customField": "value"
          }
        }
        """;

    public const string TrackResponse = """
        {
          "success": true,
          "message": "Event tracked successfully",
          "suggestions": [
            {
              "id": "sug-001",
              "title": "Optimize Login Flow",
              "description": "Consider implementing SSO for faster authentication",
              "score": 0.85,
              "action": {
                "label": "View Details",
                "href": "/analytics/login-optimization",
                "method": "GET"
              },
              "tags": ["performance", "ux", "authentication"]
            }
          ],
          "eventId": "evt-abc123",
          "timestamp": "2025-08-27T10:30:45.123Z"
        }
        """;

    public const string BatchRequest = """
        {
          "batchId": "batch-xyz789",
          "events": [
            {
              "eventName": "page-view",
              "payload": {
                "serviceName": "web-analytics",
                "sessionId": "session-123",
                "metadata": {
                  "page": "/dashboard",
                  "loadTime": 1200
                }
              }
            },
            {
              "eventName": "api-call",
              "payload": {
                "serviceName": "api-gateway",
                "statusCode": 200,
                "responseTimeMs": 85,
                "correlationId": "req-456"
              }
            }
          ]
        }
        """;

    public const string BatchResponse = """
        {
          "success": true,
          "processedCount": 2,
          "suggestions": [],
          "batchId": "batch-xyz789",
          "timestamp": "2025-08-27T10:30:45.123Z"
        }
        """;

    public const string EventsResponse = """
        {
          "events": [
            {
              "id": "evt-001",
              "name": "user-login",
              "userId": "user-123",
              "serviceName": "user-service",
              "payload": {
                "userAgent": "Mozilla/5.0...",
                "sessionId": "session-abc",
                "correlationId": "req-123",
                "statusCode": 200,
                "responseTimeMs": 150,
                "metadata": {
                  "loginMethod": "email",
                  "twoFactorEnabled": true
                }
              },
              "timestamp": 1724681445123
            }
          ],
          "total": 156,
          "filtered": 50,
          "services": ["user-service", "payment-service"],
          "timeRange": {
            "from": "2025-08-27T00:00:00Z",
            "to": "2025-08-27T10:30:45Z"
          }
        }
        """;

    public const string ServicesResponse = """
        {
          "services": [
            {
              "serviceName": "user-service",
              "eventCount": 1250,
              "uniqueEvents": 8,
              "avgResponseTime": 145.5,
              "errorRate": 2.1,
              "lastSeen": "2025-08-27T10:29:15Z",
              "topEvents": [
                {
                  "eventName": "user-login",
                  "count": 456,
                  "percentage": 36.5
                },
                {
                  "eventName": "profile-update",
                  "count": 234,
                  "percentage": 18.7
                }
              ]
            }
          ],
          "summary": {
            "totalServices": 5,
            "totalEvents": 5780,
            "avgResponseTime": 198.2,
            "overallErrorRate": 3.4
          }
        }
        """;

    public const string Statistics = """
        {
          "totalEventCount": 5780,
          "totalUniqueEvents": 42,
          "totalServices": 5,
          "perDay": [
            { "date": "2025-08-25", "count": 1890 },
            { "date": "2025-08-26", "count": 2156 },
            { "date": "2025-08-27", "count": 1734 }
          ],
          "topEvents": [
            {
              "eventName": "page-view",
              "count": 1456,
              "percentage": 25.2
            },
            {
              "eventName": "api-call",
              "count": 892,
              "percentage": 15.4
            }
          ],
          "serviceBreakdown": [
            {
              "serviceName": "web-analytics",
              "eventCount": 2340,
              "uniqueEvents": 12,
              "avgResponseTime": 89.2,
              "errorRate": 1.2,
              "lastSeen": "2025-08-27T10:30:45Z",
              "topEvents": []
            }
          ]
        }
        """;

    public const string SuggestionsResponse = """
        {
          "suggestions": [
            {
              "id": "sug-001",
              "title": "Reduce API Response Time",
              "description": "Your payment-service API calls average 300ms. Consider caching frequently accessed data.",
              "score": 0.92,
              "action": {
                "label": "View Performance Analysis",
                "href": "/analytics/performance/payment-service"
              },
              "tags": ["performance", "api", "caching"],
              "basedOn": {
                "eventPattern": "High response times in payment-service",
                "sampleSize": 1250,
                "confidence": 0.89
              }
            }
          ],
          "context": {
            "serviceName": "payment-service",
            "timeRange": "last-24h",
            "totalEvents": 1250
          }
        }
        """;
}
