"""Response headers Django's SecurityMiddleware does not send."""


class SecurityHeadersMiddleware:
    """``X-XSS-Protection: 1; mode=block`` for the older browsers that still have an XSS filter (block
    mode, not the filter mode that could be abused to blank parts of a page; current browsers ignore
    the header and rely on the Content-Security-Policy), and a Permissions-Policy that turns off the
    device features no page of Perisai uses."""

    HEADERS = {
        "X-XSS-Protection": "1; mode=block",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        for header, value in self.HEADERS.items():
            response.headers.setdefault(header, value)
        return response
