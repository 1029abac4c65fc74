from services.collaboration import SERVICE
from services.collaboration.app import create_app
from services.kit.serve import serve

serve(SERVICE, create_app)
