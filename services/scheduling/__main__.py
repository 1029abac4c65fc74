from services.kit.serve import serve
from services.scheduling import SERVICE
from services.scheduling.app import create_app

serve(SERVICE, create_app)
