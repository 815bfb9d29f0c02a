import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haven.settings")
application = get_wsgi_application()

# Production without its encryption and audit keys does not serve a single request (haven.audit.checks).
from haven.audit.checks import refuse_to_start  # noqa: E402  (needs the apps loaded above)

refuse_to_start()
