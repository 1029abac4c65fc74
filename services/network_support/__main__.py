from services.kit.serve import serve
from services.network_support import SERVICE
from services.network_support.app import create_app

serve(SERVICE, create_app)
