"""The static files' storage in production: WhiteNoise's, with each file's URL worked out once."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Compressed files with fingerprinted names (WhiteNoise), each URL computed once per process.

    A page asks for the same stylesheets, scripts and icons again and again (a list's boolean
    columns ask for an icon per row); each answer was a manifest look-up, quoting and a URL join:
    a tenth of a list page's time under gunicorn (issue 15). The manifest is read when the process
    starts and does not change until the next deployment's restart, so neither do the URLs.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls = {}

    def url(self, name, force=False):
        if force:
            return super().url(name, force)
        try:
            return self._urls[name]
        except KeyError:
            url = self._urls[name] = super().url(name)
            return url
