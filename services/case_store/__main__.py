from services.case_store import SERVICE
from services.case_store.app import create_app
from services.kit.serve import serve

serve(SERVICE, create_app)
