/* Uses the C API: dialect handle and the device-group parser. */
#include "hetu-c/Hetu.h"

#include <stdio.h>

static void print(MlirStringRef text, void *prefix) {
  printf("%s%.*s\n", (const char *)prefix, (int)text.length, text.data);
}

int main(void) {
  MlirContext context = mlirContextCreate();
  MlirDialectHandle hetu = mlirGetDialectHandle__hetu__();
  mlirDialectHandleLoadDialect(hetu, context);
  MlirStringRef ns = mlirDialectHandleGetNamespace(hetu);
  printf("dialect: %.*s\n", (int)ns.length, ns.data);
  hetuRegisterAllPasses();
  int ok = hetuParseDeviceGroup(
      mlirStringRefCreateFromCString("GPU:0, (gpu:1;gpu:2)"), print, "group: ");
  int bad = hetuParseDeviceGroup(mlirStringRefCreateFromCString("xpu:0"), print,
                                 "error: ");
  mlirContextDestroy(context);
  return ok && !bad ? 0 : 1;
}
