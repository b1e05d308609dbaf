"""finsek.audit"""
