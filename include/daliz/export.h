/* What libdaliz.so exports: it is built with hidden visibility and a version script
 * (capi/libdaliz.map); the declarations of the public headers are marked DALIZ_API. */
#ifndef DALIZ_EXPORT_H
#define DALIZ_EXPORT_H

#if defined(DALIZ_BUILDING_LIBRARY) && defined(__GNUC__)
#define DALIZ_API __attribute__((visibility("default")))
#else
#define DALIZ_API
#endif

#endif /* DALIZ_EXPORT_H */
