class EventTracker {
  constructor(baseUrl, serviceName) {
    this.baseUrl = baseUrl || this.detectBaseUrl();
    this.serviceName = serviceName || 'web-app';
    this.sessionId = this.getOrCreateSessionId();
    this.userId = localStorage.getItem('userId') || 'anonymous';
    this.setupAutoTracking();
  }

  detectBaseUrl() {
    // Auto-detect based on current domain
    return window.location.origin;
  }

  getOrCreateSessionId() {
    let sessionId = sessionStorage.getItem('eventTrackerSessionId');
    if (!sessionId) {
      sessionId = 'session-' + Date.now() + '-' + Math.random().toString(36).substr(2, 9);
      sessionStorage.setItem('eventTrackerSessionId', sessionId);
    }
    return sessionId;
  }

  async track(eventName, payload = {}) {
    const eventPayload = {
      ...payload,
      serviceName: this.serviceName,
      sessionId: this.sessionId,
      userAgent: navigator.userAgent,
      referrer: document.referrer,
      metadata: {
        ...payload.metadata,
        url: window.location.href,
        timestamp: Date.now()
      }
    };

    try {
      const response = await fetch(`${this.baseUrl}/api/events/track/${eventName}`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'X-User-Id': this.userId
        },
        body: JSON.stringify(eventPayload)
      });

      if (response.ok) {
        const result = await response.json();
        this.handleSuggestions(result.suggestions);
        return result;
      }
    } catch (error) {
      console.warn('Event tracking failed:', error);
    }
  }

  handleSuggestions(suggestions) {
    if (suggestions && suggestions.length > 0) {
      // Emit custom event for suggestions
      window.dispatchEvent(new CustomEvent('aiSuggestions', {
        detail: suggestions
      }));
    }
  }

  setupAutoTracking() {
    // Auto-track page views
    this.track('page-view', {
      metadata: {
        title: document.title,
        loadTime: performance.timing?.loadEventEnd - performance.timing?.navigationStart
      }
    });

    // Auto-track clicks on important elements
    document.addEventListener('click', (event) => {
      const target = event.target;
      if (target.matches('button, a, [data-track]')) {
        this.track('element-click', {
          metadata: {
            element: target.tagName.toLowerCase(),
            text: target.textContent?.trim() || '',
            id: target.id || '',
            className: target.className || '',
            href: target.href || ''
          }
        });
      }
    });

    // Auto-track form submissions
    document.addEventListener('submit', (event) => {
      const form = event.target;
      this.track('form-submit', {
        metadata: {
          formId: form.id || '',
          action: form.action || '',
          method: form.method || 'GET'
        }
      });
    });
  }
}

// Initialize global tracker
window.EventTracker = new EventTracker('http://localhost:3000', 'web-analytics');

// Listen for AI suggestions
window.addEventListener('aiSuggestions', (event) => {
  console.log('Received AI suggestions:', event.detail);
  // Display suggestions to user or process them
});
