from services.kit.serve import serve
from services.referrals import SERVICE
from services.referrals.app import create_app

serve(SERVICE, create_app)
