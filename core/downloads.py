from django.http import HttpResponse


def download_response(content, *, content_type, filename):
    """A file for the person to save (an export, their crisis plan), not a page to show."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
